package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.standardwebhooks.Webhook;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: a receiver started here on 127.0.0.1 (so private addresses are allowed in
 * this application) answers 500 twice and then 200. The {@code video.ready} delivery arrives three
 * times with one {@code webhook-id}, every attempt's signature verifies with the Standard Webhooks
 * reference library ({@code com.standardwebhooks:standardwebhooks}, not the server's code), the
 * log says DELIVERED after 3 attempts with 200; the other events carry the Video JSON; a manual
 * redelivery sends it again with the same id; another account sees none of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "videoforge.webhooks.allow-private-addresses=true",
		"videoforge.webhooks.retry-schedule=1s,2s", "videoforge.webhooks.sweep-interval=200ms" })
class WebhookDeliveriesIntegrationTests extends AppIntegrationTest {

	private static final Duration WAIT = Duration.ofSeconds(90);

	private Receiver receiver;
	private ApiClient owner;

	@BeforeAll
	void start() throws IOException, InterruptedException {
		// 500, 500, then 200 for every request after.
		receiver = new Receiver().answer("/flaky", n -> n <= 2 ? 500 : 200);
		owner = newUser("hooks");
	}

	@AfterAll
	void stop() {
		if (receiver != null) {
			receiver.close();
		}
	}

	private JsonNode create(ApiClient client, String url, List<String> events) throws IOException, InterruptedException {
		HttpResponse<String> created = client.send("POST", "/api/webhooks", Map.of("url", url, "events", events));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return ApiClient.json(created);
	}

	private static void assertVerifies(String secret, Receiver.Received request) {
		// The reference verifier reads the headers by their lower-case names, as HTTP/2 sends them.
		assertThatCode(() -> new Webhook(secret).verify(request.body(), request.headers())).as(request.toString())
				.doesNotThrowAnyException();
	}

	@Test
	void readyIsRetriedUntilAcceptedWithOneWebhookIdAndSignaturesThatVerify() throws Exception {
		JsonNode flaky = create(owner, receiver.url("/flaky"), List.of("video.ready"));
		String flakySecret = flaky.path("secret").asString();
		assertThat(flakySecret).startsWith("whsec_");
		assertThat(flaky.path("events")).hasSize(1);
		JsonNode all = create(owner, receiver.url("/all"), List.of("video.uploaded", "video.playable", "video.ready",
				"video.failed", "video.deleted"));
		String allSecret = all.path("secret").asString();
		// The secret is shown once: the listing has none.
		JsonNode listed = ApiClient.json(owner.get("/api/webhooks"));
		assertThat(listed).hasSize(2);
		listed.forEach(endpoint -> assertThat(endpoint.has("secret")).isFalse());

		var upload = owner.multipart(Media.real("h264_videoonly_noaudio.mp4"), "hooked", "PRIVATE");
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
		String videoId = ApiClient.json(upload).path("id").asString();
		assertThat(owner.awaitFinal(videoId, WAIT).path("status").asString()).isEqualTo("READY");

		// Three attempts of one delivery: 500, 500, 200.
		List<Receiver.Received> attempts = receiver.await(r -> r.path().equals("/flaky"), 3, WAIT);
		assertThat(attempts).hasSize(3);
		String webhookId = attempts.get(0).header("webhook-id");
		assertThat(webhookId).isNotBlank();
		for (Receiver.Received attempt : attempts) {
			assertThat(attempt.header("webhook-id")).isEqualTo(webhookId);
			assertThat(attempt.header("webhook-signature")).startsWith("v1,");
			assertVerifies(flakySecret, attempt);
			JsonNode body = ApiClient.JSON.readTree(attempt.body());
			assertThat(body.path("type").asString()).isEqualTo("video.ready");
			assertThat(body.path("createdAt").asString()).isNotBlank();
			assertThat(body.path("data").path("id").asString()).isEqualTo(videoId);
			assertThat(body.path("data").path("status").asString()).isEqualTo("READY");
		}
		// A signature made with another endpoint's secret does not verify: the check can fail.
		assertThatCode(() -> new Webhook(allSecret).verify(attempts.get(0).body(), attempts.get(0).headers()))
				.isInstanceOf(Exception.class);

		String flakyId = flaky.path("id").asString();
		JsonNode delivery = awaitDelivery(owner, flakyId, "DELIVERED");
		assertThat(delivery.path("id").asString()).isEqualTo(webhookId);
		assertThat(delivery.path("event").asString()).isEqualTo("video.ready");
		assertThat(delivery.path("videoId").asString()).isEqualTo(videoId);
		assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
		assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(200);

		// The endpoint for every event: uploaded, playable and ready, each once, each signed, with the Video JSON.
		List<Receiver.Received> events = receiver.await(r -> r.path().equals("/all"), 3, WAIT);
		Map<String, JsonNode> byType = events.stream().map(r -> ApiClient.JSON.readTree(r.body()))
				.collect(Collectors.toMap(b -> b.path("type").asString(), b -> b));
		assertThat(byType.keySet()).isEqualTo(Set.of("video.uploaded", "video.playable", "video.ready"));
		assertThat(byType.get("video.uploaded").path("data").path("status").asString()).isEqualTo("QUEUED");
		// Playable comes at READY, or earlier while PROCESSING when the first segments were published
		// before ffmpeg finished (a slow machine): either way the video in it plays.
		JsonNode playable = byType.get("video.playable").path("data");
		assertThat(playable.path("status").asString()).isIn("PROCESSING", "READY");
		assertThat(playable.path("playable").asBoolean()).isTrue();
		assertThat(byType.get("video.ready").path("data").path("qualities")).isNotEmpty();
		byType.values().forEach(b -> assertThat(b.path("data").path("id").asString()).isEqualTo(videoId));
		events.forEach(r -> assertVerifies(allSecret, r));
		assertThat(events.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(3);

		// Deleting the video sends video.deleted with the video as it was.
		assertThat(owner.send("DELETE", "/api/gallery/videos/" + videoId, null).statusCode()).isEqualTo(204);
		List<Receiver.Received> afterDelete = receiver.await(r -> r.path().equals("/all"), 4, WAIT);
		JsonNode deleted = afterDelete.stream().map(r -> ApiClient.JSON.readTree(r.body()))
				.filter(b -> b.path("type").asString().equals("video.deleted")).findFirst().orElseThrow();
		assertThat(deleted.path("data").path("id").asString()).isEqualTo(videoId);
		assertThat(deleted.path("data").path("title").asString()).isEqualTo("hooked");
		afterDelete.forEach(r -> assertVerifies(allSecret, r));

		// Another account sees nothing of it and cannot redeliver it.
		ApiClient stranger = newUser("stranger");
		assertThat(ApiClient.json(stranger.get("/api/webhooks"))).isEmpty();
		assertError(stranger.get("/api/webhooks/" + flakyId + "/deliveries"), 404);
		assertError(stranger.send("POST", "/api/webhooks/" + flakyId + "/deliveries/" + webhookId + "/retry", null), 404);
		assertError(stranger.send("DELETE", "/api/webhooks/" + flakyId, null), 404);
		assertError(anonymous().get("/api/webhooks"), 401);
		assertThat(receiver.received(r -> r.path().equals("/flaky"))).hasSize(3);

		// The owner's manual redelivery: sent again now, with the same webhook-id, and logged.
		HttpResponse<String> retried = owner.send("POST", "/api/webhooks/" + flakyId + "/deliveries/" + webhookId + "/retry", null);
		assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
		List<Receiver.Received> again = receiver.await(r -> r.path().equals("/flaky"), 4, WAIT);
		assertThat(again).hasSize(4);
		assertThat(again.get(3).header("webhook-id")).isEqualTo(webhookId);
		assertVerifies(flakySecret, again.get(3));
		JsonNode redelivered = awaitAttempts(owner, flakyId, 4);
		assertThat(redelivered.path("status").asString()).isEqualTo("DELIVERED");
		assertThat(redelivered.path("lastStatusCode").asInt()).isEqualTo(200);

		// Deleting the endpoint ends it and its log.
		assertThat(owner.send("DELETE", "/api/webhooks/" + flakyId, null).statusCode()).isEqualTo(204);
		assertError(owner.get("/api/webhooks/" + flakyId + "/deliveries"), 404);
	}

	@Test
	void anEndpointThatNeverAcceptsEndsFailedAfterTheSchedule() throws Exception {
		ApiClient account = newUser("failing");
		receiver.answer("/down", n -> 503);
		JsonNode down = create(account, receiver.url("/down"), List.of("video.uploaded"));
		var upload = account.multipart(Media.real("mp4_minimal_62ms.mp4"), "never accepted", "PRIVATE");
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
		// The first attempt and one per entry of the schedule (1 s, 2 s): three, then FAILED.
		JsonNode delivery = awaitDelivery(account, down.path("id").asString(), "FAILED");
		assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
		assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(503);
		assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
		List<Receiver.Received> attempts = receiver.received(r -> r.path().equals("/down"));
		assertThat(attempts).hasSize(3);
		assertThat(attempts.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
	}

	@Test
	void aVideoThatFailsSendsVideoFailedWithItsReason() throws Exception {
		ApiClient account = newUser("failed");
		JsonNode endpoint = create(account, receiver.url("/failed"), List.of("video.failed", "video.ready"));
		// Probes as VP9 in WebM, cannot be decoded: FAILED after the transcode, not refused at upload.
		var upload = account.multipart(Media.real("vp9_invalid_bitstream.webm"), "broken", "PRIVATE");
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
		String videoId = ApiClient.json(upload).path("id").asString();
		assertThat(account.awaitFinal(videoId, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("FAILED");
		List<Receiver.Received> received = receiver.await(r -> r.path().equals("/failed"), 1, WAIT);
		assertThat(received).hasSize(1);
		assertVerifies(endpoint.path("secret").asString(), received.get(0));
		JsonNode body = ApiClient.JSON.readTree(received.get(0).body());
		assertThat(body.path("type").asString()).isEqualTo("video.failed");
		assertThat(body.path("data").path("id").asString()).isEqualTo(videoId);
		assertThat(body.path("data").path("status").asString()).isEqualTo("FAILED");
		assertThat(body.path("data").path("error").asString()).isEqualTo("The file is damaged or uses a format this site cannot convert.");
		// Once: FAILED is published when the video becomes FAILED, not again.
		JsonNode log = ApiClient.json(account.get("/api/webhooks/" + endpoint.path("id").asString() + "/deliveries"));
		assertThat(log).hasSize(1);
		assertThat(log.get(0).path("event").asString()).isEqualTo("video.failed");
	}

	/**
	 * What a process leaves when it dies right after committing a state change (the delivery row
	 * is there, its job never queued), or after queueing a job that was then lost: the sweeper
	 * finds both and sends them, each with its own webhook-id.
	 */
	@Test
	void deliveriesLeftWithoutAJobAreSentByTheSweeper() throws Exception {
		ApiClient account = newUser("orphans");
		JsonNode endpoint = create(account, receiver.url("/orphans"), List.of("video.ready"));
		String secret = endpoint.path("secret").asString();
		java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
		String body = "{\"type\":\"video.ready\",\"createdAt\":\"" + now + "\",\"data\":{\"id\":\"0000000000000000\"}}";
		String neverQueued = "msg_" + dev.videoforge.shared.Ids.newId();
		String jobLost = "msg_" + dev.videoforge.shared.Ids.newId();
		jdbc.sql("""
				INSERT INTO webhook_deliveries (id, endpoint_id, event, video_id, payload, status, attempts, next_attempt_at,
				  job_serial, queued_at, created_at) VALUES (?, ?, 'video.ready', '0000000000000000', ?, 'PENDING', 0, ?, ?, ?, ?)""")
				.params(neverQueued, endpoint.path("id").asString(), body, now, 0, null, now).update();
		jdbc.sql("""
				INSERT INTO webhook_deliveries (id, endpoint_id, event, video_id, payload, status, attempts, next_attempt_at,
				  job_serial, queued_at, created_at) VALUES (?, ?, 'video.ready', '0000000000000000', ?, 'PENDING', 0, ?, ?, ?, ?)""")
				.params(jobLost, endpoint.path("id").asString(), body, now, 7, now.minusHours(1), now).update();
		List<Receiver.Received> received = receiver.await(r -> r.path().equals("/orphans"), 2, WAIT);
		assertThat(received).hasSize(2);
		assertThat(received.stream().map(r -> r.header("webhook-id")).toList()).containsExactlyInAnyOrder(neverQueued, jobLost);
		received.forEach(r -> assertVerifies(secret, r));
		assertThat(received.get(0).body()).isEqualTo(body);
	}

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private static void assertError(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode error = ApiClient.json(response);
		assertThat(error.path("error").asString()).isNotBlank();
		assertThat(error.path("message").asString()).isNotBlank();
	}

	/** The endpoint's one delivery once it has {@code status}; fails with the log when time is up. */
	private static JsonNode awaitDelivery(ApiClient client, String endpointId, String status) throws Exception {
		long deadline = System.nanoTime() + WAIT.toNanos();
		JsonNode log = null;
		while (System.nanoTime() < deadline) {
			log = ApiClient.json(client.get("/api/webhooks/" + endpointId + "/deliveries"));
			if (log.size() == 1 && log.get(0).path("status").asString().equals(status)) {
				return log.get(0);
			}
			Thread.sleep(200);
		}
		throw new AssertionError("no single " + status + " delivery within " + WAIT + "; the log: " + log);
	}

	private static JsonNode awaitAttempts(ApiClient client, String endpointId, int attempts) throws Exception {
		long deadline = System.nanoTime() + WAIT.toNanos();
		JsonNode log = null;
		while (System.nanoTime() < deadline) {
			log = ApiClient.json(client.get("/api/webhooks/" + endpointId + "/deliveries"));
			if (log.size() == 1 && log.get(0).path("attempts").asInt() >= attempts
					&& !log.get(0).path("status").asString().equals("PENDING")) {
				return log.get(0);
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the delivery did not reach " + attempts + " attempts within " + WAIT + "; the log: " + log);
	}
}
