package dev.videoforge.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Shutting down ends the open status streams, so the graceful shutdown does not wait for them. */
class VideoEventStreamsIntegrationTests extends AppIntegrationTest {

	@Autowired
	VideoEventStreams streams;

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
