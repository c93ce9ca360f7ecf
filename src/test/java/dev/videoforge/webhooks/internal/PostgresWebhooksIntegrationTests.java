package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.standardwebhooks.Webhook;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.PostgresSchema;
import dev.videoforge.support.RequiresPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The webhooks' SQL on PostgreSQL (the V10 migration, the conditional updates, the sweeper's
 * query): a receiver that answers 500 twice and then 200 gets the {@code video.ready} delivery
 * three times with one {@code webhook-id}, and the log says so.
 */
@RequiresPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "spring.flyway.create-schemas=true",
				"videoforge.auth.setup-token=pg-webhooks-setup-token", "videoforge.webhooks.allow-private-addresses=true",
				"videoforge.webhooks.retry-schedule=1s,2s", "videoforge.webhooks.sweep-interval=200ms" })
class PostgresWebhooksIntegrationTests {

	@RegisterExtension
	static final PostgresSchema SCHEMA = new PostgresSchema("vf_hooks_");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) throws IOException {
		SCHEMA.settings(registry);
	}

	@Value("${local.server.port}")
	int port;

	@Test
	void readyIsRetriedUntilAcceptedOnPostgres() throws Exception {
		try (Receiver receiver = new Receiver().answer("/pg", n -> n <= 2 ? 500 : 200)) {
			ApiClient owner = new ApiClient("http://127.0.0.1:" + port).signUp("pghooks", "correct horse battery");
			var created = owner.send("POST", "/api/webhooks", Map.of("url", receiver.url("/pg"), "events", List.of("video.ready")));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			JsonNode endpoint = ApiClient.json(created);
			var upload = owner.multipart(Media.real("mp4_minimal_62ms.mp4"), "on postgres", "PRIVATE");
			assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
			String videoId = ApiClient.json(upload).path("id").asString();
			assertThat(owner.awaitFinal(videoId, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("READY");

			List<Receiver.Received> attempts = receiver.await(r -> true, 3, Duration.ofSeconds(60));
			assertThat(attempts).hasSize(3);
			assertThat(attempts.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
			for (Receiver.Received attempt : attempts) {
				assertThatCode(() -> new Webhook(endpoint.path("secret").asString()).verify(attempt.body(), attempt.headers()))
						.doesNotThrowAnyException();
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			JsonNode log = null;
			while (System.nanoTime() < deadline) {
				log = ApiClient.json(owner.get("/api/webhooks/" + endpoint.path("id").asString() + "/deliveries"));
				if (log.size() == 1 && log.get(0).path("status").asString().equals("DELIVERED")) {
					break;
				}
				Thread.sleep(200);
			}
			assertThat(log).hasSize(1);
			assertThat(log.get(0).path("status").asString()).isEqualTo("DELIVERED");
			assertThat(log.get(0).path("attempts").asInt()).isEqualTo(3);
			assertThat(log.get(0).path("lastStatusCode").asInt()).isEqualTo(200);
			assertThat(log.get(0).path("id").asString()).isEqualTo(attempts.get(0).header("webhook-id"));
		}
	}
}
