package dev.videoforge.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.ApiExceptionHandler;
import dev.videoforge.shared.Refusal;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Status streams: shutting down ends them, so the graceful shutdown does not wait for them; one
 * client cannot open more than its share, nor the process more than it may hold; and a video is
 * read once per poll however many streams watch it.
 */
class VideoEventStreamsIntegrationTests extends AppIntegrationTest {

	@Autowired
	VideoEventStreams streams;

	@Autowired
	VideoCatalog catalog;

	@Autowired
	CatalogSettings settings;

	@Autowired
	ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters;

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting until " + what);
			}
			Thread.sleep(20);
		}
	}

	/** The 11th stream from one address is refused with 429 and Retry-After; closing one makes room. */
	@Test
	void oneClientOpensAtMostItsShareOfStreamsAndEachVideoIsPolledOnce() throws Exception {
		ApiClient user = newUser("cap");
		var created = user.tusCreate(1000, Map.of("filename", "quiet.mp4", "title", "Quiet"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String events = "/api/gallery/videos/" + location.substring(location.lastIndexOf('/') + 1) + "/events";
		HttpClient http = HttpClient.newHttpClient();
		await("earlier streams are gone", () -> streams.openStreamsFrom("127.0.0.1") == 0);
		int cap = settings.eventStreamsPerAddress();
		List<HttpResponse<InputStream>> open = new ArrayList<>();
		try {
			for (int i = 0; i < cap; i++) {
				var response = http.send(user.request(events).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
				assertThat(response.statusCode()).as("stream " + (i + 1)).isEqualTo(200);
				open.add(response);
			}
			var refused = http.send(user.request(events).GET().build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("too_many_streams");

			// Ten streams of one video: one read of it per poll interval, not ten.
			await("all streams are watched", () -> streams.openStreamsFrom("127.0.0.1") == cap);
			long before = streams.polls();
			Thread.sleep(1000);
			long perSecond = 1000 / Math.max(100, settings.eventPollInterval().toMillis());
			assertThat(streams.polls() - before).as("reads of the catalog in a second").isBetween(1L, perSecond + 2);

			open.remove(0).body().close();
			await("the closed stream is noticed", () -> streams.openStreamsFrom("127.0.0.1") < cap);
			var again = http.send(user.request(events).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
			assertThat(again.statusCode()).as("room again after closing one").isEqualTo(200);
			open.add(again);
		}
		finally {
			for (var response : open) {
				response.body().close();
			}
			user.send("DELETE", location.replace("/api/uploads/", "/api/gallery/videos/"), null);
		}
		await("every stream ended", () -> streams.openStreamsFrom("127.0.0.1") == 0);
	}

	/** Past the process's total, a stream is refused with 503 whoever asks. */
	@Test
	void theProcessHoldsAtMostItsTotalOfStreams() throws Exception {
		CatalogSettings two = new CatalogSettings(200, 5000, 100, Duration.ofMillis(200), Duration.ofMinutes(1),
				Duration.ofSeconds(1), 500, 10, 2, false, org.springframework.util.unit.DataSize.ofMegabytes(10), 40_000_000L,
				Duration.ofSeconds(30));
		VideoEventStreams small = new VideoEventStreams(catalog, two, meters);
		ApiClient user = newUser("total");
		String location = user.tusCreate(1000, Map.of("filename", "quiet.mp4", "title", "Quiet")).headers()
				.firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		small.start();
		try {
			small.open(id, "10.0.0.1");
			small.open(id, "10.0.0.2");
			assertThat(small.openStreams()).isEqualTo(2);
			try {
				small.open(id, "10.0.0.3");
				throw new AssertionError("a third stream was opened");
			}
			catch (Refusal e) {
				assertThat(ApiExceptionHandler.statusOf(e).value()).isEqualTo(503);
				assertThat(e.retryAfterSeconds()).isPositive();
			}
			assertThat(small.openStreamsFrom("10.0.0.3")).as("a refused stream takes no place").isZero();
		}
		finally {
			small.stop();
			small.shutdown();
			user.send("DELETE", "/api/gallery/videos/" + id, null);
		}
	}

	@Test
	void stoppingEndsEveryOpenStreamAndNewOnesEndAtOnce() throws Exception {
		ApiClient user = newUser("sse");
		// An upload that never continues: its stream would otherwise stay open until the timeout.
		var created = user.tusCreate(1000, Map.of("filename", "quiet.mp4", "title", "Quiet"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String events = "/api/gallery/videos/" + location.substring(location.lastIndexOf('/') + 1) + "/events";
		HttpClient http = HttpClient.newHttpClient();
		int before = streams.openStreams();

		HttpResponse<Stream<String>> response = http.send(user.request(events).header("Accept", "text/event-stream").GET().build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> response.body().forEach(lines::add));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (lines.stream().noneMatch(l -> l.contains("\"status\":\"UPLOADING\"")) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"status\":\"UPLOADING\""));
		assertThat(streams.openStreams()).isEqualTo(before + 1);

		streams.stop();
		try {
			// The stream ends (the client reconnects, to another process or after the restart)...
			ended.get(5, TimeUnit.SECONDS);
			assertThat(streams.openStreams()).isZero();
			// ...and one opened while shutting down ends at once.
			var late = http.send(user.request(events).header("Accept", "text/event-stream").GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(late.statusCode()).isEqualTo(200);
			assertThat(late.body()).isEmpty();
			assertThat(streams.openStreams()).isZero();
		}
		finally {
			streams.start();
			user.send("DELETE", location.replace("/api/uploads/", "/api/gallery/videos/"), null);
		}
	}
}
