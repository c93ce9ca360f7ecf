package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Transcoding percent moves along the way, as a user watching "my videos" sees it, not 0 then 100. */
class TranscodeProgressIntegrationTests extends AppIntegrationTest {

	@TempDir
	Path temp;

	@Test
	void progressIsReportedWhileTheTranscodeRuns() throws Exception {
		ApiClient carol = newUser("carol");
		// 30 s at 360p: a ladder of two qualities, several seconds of work on two cores (720p took 40 s
		// of the suite's time for the same check).
		Path clip = Media.testClip(temp.resolve("clip.mp4"), "640x360", 30);
		String id = carol.tusUpload(clip, "Progress", "PUBLIC", 4 << 20).videoId();

		List<Integer> seen = new ArrayList<>();
		long deadline = System.nanoTime() + 180_000_000_000L;
		String status = "";
		while (System.nanoTime() < deadline) {
			JsonNode video = ApiClient.json(carol.get("/api/gallery/videos/" + id));
			status = video.path("status").asString();
			if (status.equals("PROCESSING")) {
				seen.add(video.path("progress").asInt());
			}
			if (status.equals("READY") || status.equals("FAILED")) {
				break;
			}
			Thread.sleep(100);
		}
		assertThat(status).isEqualTo("READY");
		assertThat(seen).as("progress while PROCESSING").isSorted();
		assertThat(seen).as("progress along the way, not only at the end: %s", seen)
				.anySatisfy(p -> assertThat(p).isBetween(5, 80));
	}
}
