package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A browser app on another origin (videoforge.gateway.cors.allowed-origins) may call the API; others may not. */
class CorsIntegrationTests extends AppIntegrationTest {

	private static final String ALLOWED = "https://app.example.com";

	private HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
		ApiClient client = anonymous();
		return client.raw(client.request(path).header("Origin", origin).header("Access-Control-Request-Method", method)
				.header("Access-Control-Request-Headers", headers).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
	}

	@Test
	void anAllowedOriginPassesPreflightAndSeesTheHeadersItNeeds() throws Exception {
		var gallery = preflight("/api/gallery/videos", ALLOWED, "GET", "authorization");
		assertThat(gallery.statusCode()).isEqualTo(200);
		assertThat(gallery.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(gallery.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");

		// tus-js-client on another origin: its headers are allowed, and Location / Upload-Offset readable.
		var tus = preflight("/api/uploads", ALLOWED, "POST", "tus-resumable,upload-length,upload-metadata");
		assertThat(tus.statusCode()).isEqualTo(200);
		assertThat(tus.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
				.contains("tus-resumable").contains("upload-length").contains("upload-metadata");

		ApiClient client = anonymous();
		var list = client.raw(client.request("/api/gallery/videos").header("Origin", ALLOWED).GET());
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(list.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("X-Request-Id");
	}

	@Test
	void anotherOriginIsRefused() throws Exception {
		var refused = preflight("/api/gallery/videos", "https://evil.example", "GET", "authorization");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

		ApiClient client = anonymous();
		var list = client.raw(client.request("/api/gallery/videos").header("Origin", "https://evil.example").GET());
		assertThat(list.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}
}
