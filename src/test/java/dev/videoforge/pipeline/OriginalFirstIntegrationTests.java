package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.transcode.internal.ExpiredRenditions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Publish early at no cost (issue #11): a chunked video whose source's pictures a browser plays as
 * they are plays on them, repackaged without re-encoding, until READY; the master then lists the
 * ladder alone, and the repackaged pictures stay served until {@code original-kept-after-ready} is
 * up, for whoever began on them. What the viewer gets must be the source's own pictures, every
 * frame, in sync with the sound encoded once. Sources a browser cannot play as they are (VP8), and
 * ones whose keyframes are too far apart to start and seek on, are never served as they are.
 * The source is {@link ChunkedRecordingsIntegrationTests}'s recording (pictures half a second after
 * the sound, a variable rate, a 3.2 s stall, a flash with every beep). One worker, as
 * {@link PlayableWhileProcessingBrowserIntegrationTests} (same application), so the chunks come one
 * after another well after the sound's job.
 */
@TestPropertySource(properties = { "videoforge.transcode.chunk-threshold=20s", "videoforge.transcode.chunk-seconds=8",
		"videoforge.transcode.max-workers=1" })
class OriginalFirstIntegrationTests extends AppIntegrationTest {

	private static final int SECONDS = ChunkedRecordingsIntegrationTests.SECONDS;
	private static final int FPS = ChunkedRecordingsIntegrationTests.FPS;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExpiredRenditions expired;

	@Test
	void aRecordingPlaysOnItsOwnPicturesUntilReadyInSyncAndTheyGoOnceTheirTimeAfterReadyIsUp(@TempDir Path folder)
			throws Exception {
		Path source = ChunkedRecordingsIntegrationTests.recording(folder.resolve("recording.mkv"));
		ApiClient owner = newUser("original");
		String id = owner.tusUpload(source, "Own pictures", "PUBLIC", 1 << 20).videoId();
		JsonNode video = awaitReady(owner, id, watcher -> {
			// Playable while PROCESSING on the source's pictures and the sound alone.
			assertThat(watcher.playableWhileProcessing.get()).as("seen playable while PROCESSING; states seen: %s", watcher.seen)
					.isTrue();
			JsonNode stream = Media.stream(Media.probe(source.toString()), "video");
			String codecs = String.format("CODECS=\"avc1.%02x", stream.path("profile").asString().contains("Baseline") ? 0x42 : 0)
					+ "[0-9a-f]{2}" + String.format("%02x", stream.path("level").asInt()) + ",mp4a.40.2\"";
			assertThat(watcher.earlyMaster.get()).as("master while PROCESSING").contains("TYPE=AUDIO")
					.containsOnlyOnce("#EXT-X-STREAM-INF:").contains("RESOLUTION=640x360").contains("original/index.m3u8")
					.containsPattern(codecs);
			assertThat(watcher.earlyPlaylist.get()).as("the source's pictures' playlist while PROCESSING").contains("#EXT-X-MAP:")
					.contains("seg_00000.m4s");
		});
		// The sound and the source's pictures were queued ahead of the chunks, and no quality was
		// encoded ahead of them: every quality came from the chunks.
		List<String> kinds = jdbc.sql("SELECT payload FROM jobs WHERE payload LIKE ? AND payload NOT LIKE ? ORDER BY created_at, id")
				.param("%\"videoId\":\"" + id + "\"%").param("%\"kind\":\"assemble\"%").query(String.class).list().stream()
				.map(p -> ApiClient.JSON.readTree(p).path("kind").asString()).toList();
		assertThat(kinds).as("jobs of %s in the order queued", id).startsWith("transcode", "audio", "chunk");

		// READY: the ladder alone in the master and the Video JSON.
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		String masterPath = listing.path("masterUrl").asString();
		String masterUrl = owner.base() + masterPath;
		assertThat(owner.get(masterPath).body()).as("the master at READY").doesNotContain("original")
				.contains("360p/index.m3u8").contains("240p/index.m3u8");
		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		assertThat(qualities).as("%s", video).containsExactly("360p", "240p");

		// Still served for whoever began on it: the source's very pictures, every frame, in sync.
		String originalPath = masterPath.replace("master.m3u8", "original/index.m3u8");
		String originalUrl = owner.base() + originalPath;
		assertThat(owner.get(originalPath).statusCode()).as("GET %s after READY", originalPath).isEqualTo(200);
		assertThat(frameHashes(originalUrl)).as("the frames of %s against the source's", originalUrl)
				.hasSizeGreaterThan(SECONDS * FPS / 2).isEqualTo(frameHashes(source.toString()));
		List<Double> beeps = ChunkedRecordingsIntegrationTests.beeps(masterUrl.replace("master.m3u8", "audio/index.m3u8"));
		List<double[]> frames = ChunkedRecordingsIntegrationTests.frames(originalUrl, true);
		assertThat(frames.get(0)[0]).as("the first picture's time (the pictures start after the sound)")
				.isCloseTo(ChunkedRecordingsIntegrationTests.PICTURES_START, Offset.offset(0.02 + 2.0 / FPS));
		List<Double> flashes = new ArrayList<>();
		for (int i = 0; i < frames.size(); i++) {
			if (frames.get(i)[1] > 200 && (i == 0 || frames.get(i - 1)[1] <= 200)) {
				flashes.add(frames.get(i)[0]);
			}
		}
		double[] stall = ChunkedRecordingsIntegrationTests.STALL;
		List<Double> seen = beeps.stream().filter(b -> b < stall[0] || b > stall[1] + 0.2).toList();
		assertThat(flashes).as("flashes seen in the source's pictures, beeps %s", beeps).hasSameSizeAs(seen).isNotEmpty();
		for (int i = 0; i < flashes.size(); i++) {
			assertThat(flashes.get(i)).as("flash %d against its beep (%s)", i, seen).isCloseTo(seen.get(i),
					Offset.offset(1.0 / FPS + 0.025));
		}

		// Its time after READY up: its files go, and the ladder plays on, one set of files.
		assertThat(jdbc.sql("UPDATE expiring_renditions SET expires_at = ? WHERE video_id = ?")
				.params(java.time.OffsetDateTime.now().minusSeconds(1), id).update()).as("the original's removal, recorded").isEqualTo(1);
		expired.removeExpired();
		// (Its playlist's text may still be answered from the streaming role's minute-long cache.)
		for (String file : List.of("init.mp4", "seg_00000.m4s")) {
			String path = originalPath.replace("index.m3u8", file);
			assertThat(owner.get(path).statusCode()).as("GET %s once its time is up", path).isEqualTo(404);
		}
		assertThat(jdbc.sql("SELECT COUNT(*) FROM expiring_renditions WHERE video_id = ?").param(id).query(Long.class).single())
				.isZero();
		Renditions.assertOneSetThatPlays(owner, data, id);
	}

	/** VP8 (a browser's own recording) has no place in an H.264 ladder's master: a first rendition is made instead. */
	@Test
	void picturesABrowserCannotPlayAsTheyAreGetAFirstRenditionInstead(@TempDir Path folder) throws Exception {
		Path source = ChunkedRecordingsIntegrationTests.converted(
				ChunkedRecordingsIntegrationTests.recording(folder.resolve("browser.mkv")), folder.resolve("browser.webm"), "-c:v",
				"libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-c:a", "libopus", "-f", "webm");
		ApiClient owner = newUser("vp8");
		String id = owner.tusUpload(source, "VP8", "PUBLIC", 1 << 20).videoId();
		awaitReady(owner, id, watcher -> {
			assertThat(watcher.playableWhileProcessing.get()).as("seen playable while PROCESSING; states seen: %s", watcher.seen)
					.isTrue();
			assertThat(watcher.earlyMaster.get()).as("master while PROCESSING").containsOnlyOnce("#EXT-X-STREAM-INF:")
					.contains("360p/index.m3u8").doesNotContain("original");
		});
		assertNothingOriginal(owner, id);
	}

	/**
	 * Keyframes 20 s apart: a viewer would wait for 20 s segments to start or seek, so the source's
	 * pictures are checked once repackaged and not served; the chunks publish the video as without.
	 */
	@Test
	void keyframesTooFarApartKeepTheSourcesPicturesOut(@TempDir Path folder) throws Exception {
		Path source = folder.resolve("sparse keyframes.mp4");
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
				"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "36", "-c:v", "libx264", "-preset", "ultrafast",
				"-g", "600", "-keyint_min", "600", "-sc_threshold", "0", "-c:a", "aac", source.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		ApiClient owner = newUser("sparse");
		String id = owner.tusUpload(source, "Sparse keyframes", "PUBLIC", 1 << 20).videoId();
		awaitReady(owner, id, watcher -> assertThat(watcher.earlyMaster.get()).as("master while PROCESSING, if seen")
				.doesNotContain("original"));
		assertNothingOriginal(owner, id);
	}

	private interface WatcherCheck {
		void check(ChunkedTranscodeIntegrationTests.Watcher watcher) throws Exception;
	}

	/** Waits for READY, watching the video meanwhile; then {@code check} what was seen. */
	private static JsonNode awaitReady(ApiClient owner, String id, WatcherCheck check) throws Exception {
		var watched = ChunkedTranscodeIntegrationTests.Watcher.awaitFinal(owner, id);
		JsonNode video = watched.video();
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
		assertThat(video.path("durationSeconds").asDouble()).as("%s", video).isCloseTo(SECONDS, Offset.offset(0.2));
		check.check(watched.watcher());
		return video;
	}

	/** No original anywhere: not served, nothing due for removal, one set of files that plays. */
	private void assertNothingOriginal(ApiClient owner, String id) throws Exception {
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		String masterPath = listing.path("masterUrl").asString();
		assertThat(owner.get(masterPath.replace("master.m3u8", "original/index.m3u8")).statusCode()).isEqualTo(404);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM expiring_renditions WHERE video_id = ?").param(id).query(Long.class).single())
				.isZero();
		Renditions.assertOneSetThatPlays(owner, data, id);
	}

	/** The MD5 of each decoded picture of the first video stream at {@code url}, in order, every one (no frame made up or dropped). */
	private static List<String> frameHashes(String url) throws Exception {
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", url, "-map", "0:v:0", "-fps_mode",
				"passthrough", "-f", "framemd5", "-"), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		return run.stdout().lines().filter(l -> l.startsWith("0,")).map(l -> l.substring(l.lastIndexOf(',') + 1).strip())
				.toList();
	}
}
