package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With the default settings (private addresses not allowed) an endpoint that would make the
 * server call into its own network is refused at creation with 400 and the error JSON, and
 * nothing is sent to it: a receiver listening on 127.0.0.1 sees no connection. No URL here makes
 * a DNS query (every host is a literal, a numeric form or a localhost name, all refused first).
 */
class WebhookUrlsIntegrationTests extends AppIntegrationTest {

	@Test
	void urlsIntoTheServersOwnNetworkOrOfOtherKindsAreRefused() throws Exception {
		ApiClient user = newUser("ssrf");
		try (Receiver receiver = new Receiver()) {
			List<String> refused = List.of(receiver.url("/hook"), "http://127.0.0.1/", "http://localhost/",
					"http://LOCALHOST:" + receiver.port() + "/", "http://api.localhost/", "http://[::1]:" + receiver.port() + "/",
					"http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
					"http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fe80::1]/",
					"http://[fd00::1]/", "http://0x7f000001/", "http://2130706433/", "http://127.1/", "http://0177.0.0.1/",
					"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "http://user:pw@example.com/",
					"http://user@example.com/", "not a url", "", "http://[::1/", "https://example.com/#fragment");
			List<String> accepted = new ArrayList<>();
			for (String url : refused) {
				HttpResponse<String> response = user.send("POST", "/api/webhooks", Map.of("url", url, "events", List.of("video.ready")));
				if (response.statusCode() != 400) {
					accepted.add(url + " → " + response.statusCode() + " " + response.body());
					continue;
				}
				JsonNode error = ApiClient.json(response);
				assertThat(error.path("error").asString()).as(url).isEqualTo("invalid_url");
				assertThat(error.path("message").asString()).as(url).isNotBlank();
			}
			assertThat(accepted).as("URLs that should have been refused").isEmpty();
			assertThat(receiver.connections.get()).as("requests that reached the receiver").isZero();
		}
		assertThat(ApiClient.json(user.get("/api/webhooks"))).isEmpty();
	}

	@Test
	void eventsMustBeKnownAndTheUrlPublic() throws Exception {
		ApiClient user = newUser("events");
		// A public address literal passes the check without any lookup; bad events are refused first.
		for (Object events : List.of(List.of(), List.of("video.exploded"), List.of("video.ready", "VIDEO.READY"))) {
			HttpResponse<String> response = user.send("POST", "/api/webhooks", Map.of("url", "https://93.184.216.34/hook", "events", events));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
			assertThat(ApiClient.json(response).path("error").asString()).isEqualTo("invalid_events");
		}
		HttpResponse<String> created = user.send("POST", "/api/webhooks",
				Map.of("url", "https://93.184.216.34/hook", "events", List.of("video.ready", "video.uploaded", "video.ready")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode endpoint = ApiClient.json(created);
		assertThat(endpoint.path("secret").asString()).startsWith("whsec_");
		assertThat(endpoint.path("events")).hasSize(2);
		assertThat(ApiClient.json(user.get("/api/webhooks/" + endpoint.path("id").asString() + "/deliveries"))).isEmpty();
		assertThat(user.send("DELETE", "/api/webhooks/" + endpoint.path("id").asString(), null).statusCode()).isEqualTo(204);
		assertThat(ApiClient.json(user.get("/api/webhooks"))).isEmpty();
	}
}
