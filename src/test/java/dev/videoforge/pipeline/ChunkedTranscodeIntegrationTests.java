package dev.videoforge.pipeline;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import static org.assertj.core.api.Assertions.assertThat;
import tools.jackson.databind.JsonNode;

/**
 * Chunked encoding (issue #11) as a viewer sees it: a video cut into chunks of 8 s (a threshold
 * of 20 s, so a 36 s clip is five chunks) plays as one stream in every quality, the first rendition
 * (360p, made whole by the sound's job) as the chunked 240p. Every check decodes:
 * the frames are those of a single pass (the source through the same constant-rate filter), their
 * times step by exactly one frame everywhere (no gap or overlap at a seam), the pictures at each
 * seam are the source's pictures at that time (testsrc2's moving frame counter tells neighbours
 * apart), and the sound, encoded once, runs without a break. The video was playable while its
 * later chunks were still being made.
 */
// The first rendition, as for a source a browser cannot play as it is (OriginalFirstIntegrationTests: one it can).
@TestPropertySource(properties = { "videoforge.transcode.chunk-threshold=20s", "videoforge.transcode.chunk-seconds=8",
		"videoforge.transcode.original-first=false" })
class ChunkedTranscodeIntegrationTests extends AppIntegrationTest {

	private static final int SECONDS = 36;
	private static final int FPS = 30;
	private static final int CHUNK_FRAMES = 8 * FPS;

	/**
	 * A rendition's picture at a seam against the source's, scaled the same way: the right frame
	 * scores 36 dB or more here, the frame next to it (testsrc2 moves every frame) 26 to 28 dB.
	 */
	private static final double SEAM_PSNR_DB = 33;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	BlobStore blobs;

	/**
	 * A part that dies (here: the original gone from storage while the chunks are made, so the
	 * chunks give up at once) fails the video; once the original is back, the operator's retry of
	 * that dead part runs the video's whole transcode again, to READY. The part cannot run alone:
	 * its plan and the other parts' files went with the failure.
	 */
	@Test
	void retryingADeadChunkRunsTheVideosTranscodeAgain(@TempDir Path folder) throws Exception {
		Path source = Media.testClip(folder.resolve("retry.mp4"), "320x180", 30);
		ApiClient owner = newUser("deadchunk");
		String id = owner.tusUpload(source, "Dead chunk", "PUBLIC", 1 << 20).videoId();

		// Once the video is planned in chunks, the original goes away.
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (jdbc.sql("SELECT COUNT(*) FROM transcode_plans WHERE video_id = ?").param(id).query(Long.class).single() == 0) {
			assertThat(System.nanoTime()).as("the video was planned in chunks").isLessThan(deadline);
			Thread.sleep(20);
		}
		Path original = blobs.localPath(VideoFiles.original(id)).orElseThrow();
		Path aside = folder.resolve("original-aside");
		Files.move(original, aside);

		JsonNode failed = owner.awaitFinal(id, Duration.ofMinutes(3));
		assertThat(failed.path("status").asString()).as("%s", failed).isEqualTo("FAILED");
		ApiClient admin = admin();
		JsonNode dead = null;
		for (JsonNode job : ApiClient.json(admin.get("/api/admin/jobs?state=DEAD&limit=1000"))) {
			if (job.path("videoId").asString().equals(id)) {
				dead = job;
			}
		}
		assertThat(dead).as("a dead part of video %s", id).isNotNull();

		Files.move(aside, original);
		var retried = admin.send("POST", "/api/admin/jobs/" + dead.path("id").asString() + "/retry", null);
		assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(5));
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
		Renditions.assertOneSetThatPlays(owner, data, id);
	}

	@Test
	void aVideoCutIntoChunksPlaysAsOneStreamWithNoSeamInAnyQuality(@TempDir Path folder) throws Exception {
		Path source = Media.testClip(folder.resolve("counter.mp4"), "640x360", SECONDS);
		long referenceFrames = constantRateFrames(source);
		assertThat(referenceFrames).as("frames of the source at %d fps", FPS).isBetween(SECONDS * FPS - 2L, SECONDS * FPS + 2L);
		Renditions.Decoded decodedSource = Renditions.decode(source.toString());

		ApiClient owner = newUser("chunks");
		String id = owner.tusUpload(source, "Counter", "PUBLIC", 1 << 20).videoId();
		Watcher.Watched watched = Watcher.awaitFinal(owner, id);
		Watcher watcher = watched.watcher();
		JsonNode video = watched.video();
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");

		// It was cut: one job per chunk (the index of each once), one for the sound (and the first
		// rendition), one assembly.
		List<Integer> chunkIndexes = jdbc.sql("SELECT payload FROM jobs WHERE payload LIKE ? AND payload LIKE ?")
				.param("%\"kind\":\"chunk\"%").param("%\"videoId\":\"" + id + "\"%").query(String.class).list().stream()
				.map(p -> ApiClient.JSON.readTree(p).path("index").asInt()).sorted().toList();
		assertThat(chunkIndexes).as("chunk jobs of %s", id).hasSizeGreaterThan(2)
				.isEqualTo(java.util.stream.IntStream.range(0, chunkIndexes.size()).boxed().toList());
		for (String kind : List.of("audio", "assemble")) {
			assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE payload LIKE ? AND payload LIKE ?")
					.param("%\"kind\":\"" + kind + "\"%").param("%\"videoId\":\"" + id + "\"%").query(Long.class).single())
					.as("%s jobs of %s", kind, id).isEqualTo(1);
		}
		int seams = chunkIndexes.size() - 1;

		// The first rendition (360p, the best of at most 360p) and the sound were queued ahead of the chunks.
		List<String> kinds = jdbc.sql("SELECT payload FROM jobs WHERE payload LIKE ? AND payload NOT LIKE ? ORDER BY created_at, id")
				.param("%\"videoId\":\"" + id + "\"%").param("%\"kind\":\"assemble\"%").query(String.class).list().stream()
				.map(p -> ApiClient.JSON.readTree(p).path("kind").asString()).toList();
		assertThat(kinds).as("jobs of %s in the order queued", id).startsWith("transcode", "audio", "chunk");

		// The percent went up and never back, through the parts run on any processor.
		assertThat(watcher.progress).as("progress while PROCESSING").isSorted()
				.anySatisfy(p -> assertThat(p).isBetween(1, 98));

		// Playable while PROCESSING, on the first rendition and the sound alone: a player could already use them.
		assertThat(watcher.playableWhileProcessing.get()).as("seen playable while PROCESSING; states seen: %s", watcher.seen)
				.isTrue();
		assertThat(watcher.earlyMaster.get()).as("master while PROCESSING").contains("TYPE=AUDIO")
				.containsOnlyOnce("#EXT-X-STREAM-INF:").contains("RESOLUTION=640x360").contains("360p/index.m3u8");
		assertThat(watcher.earlyPlaylist.get()).as("the first rendition's playlist while PROCESSING").contains("#EXT-X-MAP:")
				.contains("seg_00000.m4s");

		// The Video JSON: the ladder of a 360p source, the one audio track, which is no quality.
		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		assertThat(qualities).as("%s", video).containsExactly("360p", "240p");
		assertThat(video.path("audioTracks").size()).as("%s", video).isEqualTo(1);
		assertThat(video.path("audioTracks").get(0).path("name").asString()).isEqualTo("audio");
		assertThat(video.path("audioTracks").get(0).path("default").asBoolean()).isTrue();
		assertThat(video.path("playable").asBoolean()).isTrue();
		assertThat(video.path("durationSeconds").asDouble()).isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(0.2));

		// One set of files that plays, every quality as long as the source (the suite's own check).
		Renditions.assertOneSetThatPlays(owner, data, id);

		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		String masterUrl = owner.base() + listing.path("masterUrl").asString();
		assertSegmentsLineUp(owner, listing);
		for (JsonNode quality : listing.path("qualities")) {
			String url = owner.base() + quality.path("url").asString();
			String name = quality.path("name").asString();

			// Frames: those of a single pass, and their times one frame apart everywhere.
			List<Double> times = frameTimes(url);
			assertThat((long) times.size()).as("decoded frames of %s vs the source at %d fps", name, FPS)
					.isBetween(referenceFrames - 1, referenceFrames + 1);
			for (int i = 1; i < times.size(); i++) {
				double step = times.get(i) - times.get(i - 1);
				assertThat(step).as("%s: step from frame %d to %d (%.6f s → %.6f s; a seam every %d frames)", name, i - 1, i,
						times.get(i - 1), times.get(i), CHUNK_FRAMES).isCloseTo(1.0 / FPS, org.assertj.core.data.Offset.offset(0.002));
			}

			// Pictures: at and around every seam, the source's own picture of that moment.
			List<Double> psnr = psnr(url, source, quality.path("width").asInt(), quality.path("height").asInt(), folder, name);
			assertThat((long) psnr.size()).as("frames compared in %s", name).isBetween(referenceFrames - 1, referenceFrames + 1);
			for (int seam = 1; seam <= seams; seam++) {
				for (int frame = seam * CHUNK_FRAMES - 2; frame <= seam * CHUNK_FRAMES + 1 && frame < psnr.size(); frame++) {
					assertThat(psnr.get(frame)).as("%s: PSNR of frame %d against the source (seam at frame %d)", name, frame,
							seam * CHUNK_FRAMES).isGreaterThan(SEAM_PSNR_DB);
				}
			}
		}

		// The sound, encoded once: as many samples as the source's (the same encoder's priming frame
		// and padded last frame: within two AAC frames of the media's length), no break between its frames.
		String audioUrl = masterUrl.replace("master.m3u8", "audio/index.m3u8");
		List<double[]> audio = audioFrames(audioUrl);
		long samples = audio.stream().mapToLong(f -> (long) f[1]).sum();
		assertThat(samples).as("samples of %s vs the source's %d", audioUrl, decodedSource.audio().samples())
				.isBetween(decodedSource.audio().samples() - 1024, decodedSource.audio().samples() + 1024);
		assertThat(samples).as("samples of %s vs %d s at 48 kHz", audioUrl, SECONDS)
				.isBetween(SECONDS * 48000L - 1024, SECONDS * 48000L + 2048);
		for (int i = 1; i < audio.size(); i++) {
			double expected = audio.get(i - 1)[0] + audio.get(i - 1)[1] / 48000.0;
			assertThat(audio.get(i)[0]).as("audio frame %d starts where frame %d ends", i, i - 1)
					.isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
		}

		// A player opening the master gets the whole video, pictures and sound.
		Renditions.Decoded played = Renditions.decode(masterUrl);
		assertThat(played.errors()).as("%s", played).isBlank();
		assertThat(played.hasVideo()).as("%s", played).isTrue();
		assertThat(played.hasAudio()).as("%s", played).isTrue();
		assertThat((long) played.video().frames()).as("%s", played).isBetween(referenceFrames - 1, referenceFrames + 1);
		assertThat(played.audio().sampleSeconds()).as("%s", played).isCloseTo(SECONDS, org.assertj.core.data.Offset.offset(0.05));
	}

	/**
	 * At 29.97 fps a GOP of 120 frames lasts 4.004 s. Keyframes on a grid of seconds fell a frame
	 * early every thousand frames in one pass, and not in a chunk (each starts its own grid), so the
	 * first rendition (one pass) and the chunked quality cut their segments on other frames from
	 * the tenth segment on. On a grid of frames they cut on the same ones.
	 */
	@Test
	void atNtscRatesTheFirstRenditionAndTheChunkedQualityCutTheirSegmentsOnTheSameFrames(@TempDir Path folder)
			throws Exception {
		Path source = Media.testClip(folder.resolve("ntsc.mp4"), "640x360", 44, "30000/1001");
		ApiClient owner = newUser("ntsc");
		String id = owner.tusUpload(source, "NTSC", "PUBLIC", 1 << 20).videoId();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(5));
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		List<Double> segments = assertSegmentsLineUp(owner, listing);
		// 1,319 frames in GOPs of 120: ten whole segments of 4.004 s and the rest.
		assertThat(segments).as("segments of %s", id).hasSize(11);
		assertThat(segments.subList(0, 10)).allSatisfy(s -> assertThat(s).isCloseTo(120 * 1001 / 30000.0,
				org.assertj.core.data.Offset.offset(0.001)));
	}

	/**
	 * Every video quality's segments last the same (within a millisecond): they start on the same
	 * frames, so a player switches between them at any segment. Answers the first quality's lengths.
	 */
	static List<Double> assertSegmentsLineUp(ApiClient owner, JsonNode listing) throws Exception {
		List<String> names = new ArrayList<>();
		List<List<Double>> lengths = new ArrayList<>();
		for (JsonNode quality : listing.path("qualities")) {
			if (quality.path("width").asInt() == 0) {
				continue;
			}
			names.add(quality.path("name").asString());
			lengths.add(owner.get(quality.path("url").asString()).body().lines().filter(l -> l.startsWith("#EXTINF:"))
					.map(l -> Double.parseDouble(l.substring(8, l.indexOf(',') < 0 ? l.length() : l.indexOf(',')))).toList());
		}
		assertThat(names).as("video qualities of %s", listing).hasSizeGreaterThan(1);
		for (int q = 1; q < names.size(); q++) {
			assertThat(lengths.get(q)).as("segments of %s against %s", names.get(q), names.get(0)).hasSameSizeAs(lengths.get(0));
			for (int i = 0; i < lengths.get(0).size(); i++) {
				assertThat(lengths.get(q).get(i)).as("segment %d of %s against %s", i, names.get(q), names.get(0))
						.isCloseTo(lengths.get(0).get(i), org.assertj.core.data.Offset.offset(0.001));
			}
		}
		return lengths.get(0);
	}

	/** The frames a single pass makes of the source: every decoded frame through the same constant-rate filter. */
	private static long constantRateFrames(Path source) throws Exception {
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", source.toString(), "-map", "0:v:0", "-vf",
				"fps=" + FPS, "-f", "framemd5", "-"), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		return run.stdout().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
	}

	/** The presentation time of every decoded frame of a rendition, in order. */
	private static List<Double> frameTimes(String url) throws Exception {
		Media.Run run = Media.run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
				"frame=best_effort_timestamp_time", "-of", "csv=p=0", url), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stderr()).as("decoder errors in %s", url).isBlank();
		return run.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split(",")[0])
				.map(Double::parseDouble).toList();
	}

	/** Every decoded audio frame of a rendition: its start and its number of samples. */
	private static List<double[]> audioFrames(String url) throws Exception {
		Media.Run run = Media.run(List.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
				"frame=best_effort_timestamp_time,nb_samples", "-of", "compact=p=0", url), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stderr()).as("decoder errors in %s", url).isBlank();
		List<double[]> frames = new ArrayList<>();
		for (String line : run.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
			java.util.Map<String, String> f = new java.util.HashMap<>();
			for (String pair : line.split("\\|")) {
				int eq = pair.indexOf('=');
				f.put(pair.substring(0, eq), pair.substring(eq + 1));
			}
			frames.add(new double[] { Double.parseDouble(f.get("best_effort_timestamp_time")),
					Double.parseDouble(f.get("nb_samples")) });
		}
		assertThat(frames).as("audio frames of %s", url).isNotEmpty();
		return frames;
	}

	/**
	 * The PSNR (dB) of each frame of a rendition against the source brought to the same rate (from
	 * the media's time 0, as the pipeline does) and size, frame by frame from the start of each.
	 */
	static List<Double> psnr(String url, Path source, int width, int height, Path folder, String name) throws Exception {
		Path stats = folder.resolve("psnr-" + name + ".log");
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", url, "-i", source.toString(),
				"-filter_complex", "[0:v]setpts=PTS-STARTPTS[a];[1:v]fps=" + FPS + ":start_time=0,format=yuv420p,scale=" + width + ":" + height
						+ ":flags=bicubic,setsar=1,setpts=PTS-STARTPTS[b];[a][b]psnr=stats_file=" + stats,
				"-f", "null", "-"), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		List<Double> values = new ArrayList<>();
		for (String line : Files.readAllLines(stats)) {
			for (String field : line.split(" ")) {
				if (field.startsWith("psnr_avg:")) {
					String value = field.substring("psnr_avg:".length());
					values.add(value.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
				}
			}
		}
		System.out.printf(Locale.ROOT, "%s: %d frames compared, lowest PSNR %.2f dB%n", name, values.size(),
				values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
		return values;
	}

	/**
	 * Polls the Video JSON while the video is made: whether it was ever playable and still
	 * PROCESSING, and what a player got then (the master and the top quality's playlist).
	 */
	static final class Watcher {

		final AtomicBoolean playableWhileProcessing = new AtomicBoolean();
		final AtomicReference<String> earlyMaster = new AtomicReference<>("");
		final AtomicReference<String> earlyPlaylist = new AtomicReference<>("");
		final List<String> seen = new CopyOnWriteArrayList<>();
		/** The percent shown while PROCESSING, each change once. */
		final List<Integer> progress = new CopyOnWriteArrayList<>();
		final AtomicBoolean stop = new AtomicBoolean();
		Thread thread;

		/** The video in its final state, and what was seen on the way. */
		record Watched(JsonNode video, Watcher watcher) {
		}

		/** Waits (five minutes at most) for the video's final state, watching it meanwhile. */
		static Watched awaitFinal(ApiClient owner, String id) throws Exception {
			Watcher watcher = start(owner, id);
			try {
				return new Watched(owner.awaitFinal(id, Duration.ofMinutes(5)), watcher);
			}
			finally {
				watcher.stop();
			}
		}

		static Watcher start(ApiClient owner, String id) {
			Watcher watcher = new Watcher();
			watcher.thread = Thread.ofVirtual().start(() -> watcher.run(owner, id));
			return watcher;
		}

		private void run(ApiClient owner, String id) {
			while (!stop.get()) {
				try {
					var response = owner.get("/api/gallery/videos/" + id);
					if (response.statusCode() == 200) {
						JsonNode video = ApiClient.json(response);
						String state = video.path("status").asString() + (video.path("playable").asBoolean() ? "+playable" : "");
						if (seen.isEmpty() || !seen.getLast().equals(state)) {
							seen.add(state);
						}
						int percent = video.path("progress").asInt();
						if (video.path("status").asString().equals("PROCESSING")
								&& (progress.isEmpty() || progress.getLast() != percent)) {
							progress.add(percent);
						}
						if (state.equals("PROCESSING+playable") && !playableWhileProcessing.get()) {
							JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
							String master = owner.get(listing.path("masterUrl").asString()).body();
							String playlist = owner.get(listing.path("qualities").get(0).path("url").asString()).body();
							// Only what was fetched while it was still PROCESSING counts.
							if (ApiClient.json(owner.get("/api/gallery/videos/" + id)).path("status").asString().equals("PROCESSING")) {
								earlyMaster.set(master);
								earlyPlaylist.set(playlist);
								playableWhileProcessing.set(true);
							}
						}
					}
				}
				catch (InterruptedException e) {
					return;
				}
				catch (Exception e) {
					seen.add("error: " + e);
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException e) {
					return;
				}
			}
		}

		void stop() throws InterruptedException {
			stop.set(true);
			thread.join(Duration.ofSeconds(30));
		}
	}
}
