package dev.videoforge.pipeline;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import static org.assertj.core.api.Assertions.assertThat;
import tools.jackson.databind.JsonNode;

/**
 * Chunked encoding (issue #11) of sources shaped like real recordings rather than a test pattern:
 * the pictures start half a second after the sound (a camera, a screen recorder, a browser's
 * recording), their frames come at a variable rate, and stop for 3.2 s across a seam (a screen
 * recorder on a still screen; a single pass shows the last picture before the stall until it ends,
 * and so must the chunk after the seam). Every two seconds the picture flashes white
 * and the sound beeps at the same moment. A viewer must see no seam (every quality's frames one frame
 * apart from 0 to the end, the pictures at each seam the source's own) and the flash with the beep.
 * The same recording as a browser's WebM (no index, no duration) is cut and plays alike; as
 * MPEG-TS (a camcorder's .mts), whose seeks land anywhere in a keyframe interval, it takes the
 * single pass, in sync too. Same settings as {@link ChunkedTranscodeIntegrationTests}
 * (so the same application): 8 s chunks from 20 s on.
 */
// The first rendition, as for a source a browser cannot play as it is (OriginalFirstIntegrationTests: one it can).
@TestPropertySource(properties = { "videoforge.transcode.chunk-threshold=20s", "videoforge.transcode.chunk-seconds=8",
		"videoforge.transcode.original-first=false" })
class ChunkedRecordingsIntegrationTests extends AppIntegrationTest {

	static final int SECONDS = 36;
	static final int FPS = 30;
	private static final int CHUNK_FRAMES = 8 * FPS;
	/** Where the pictures start, after the sound. */
	static final double PICTURES_START = 0.5;
	/** Flash and beep: every this many seconds, from 1 s on (between the seams, every 8 s). */
	static final int MARK_EVERY = 2;
	/**
	 * No pictures from to (a screen recorder's stall), across the seam at 24 s: the seam's frame is
	 * the one 2.4 s before it. The flash of 23 s falls in it, unseen; its beep is heard.
	 */
	static final double[] STALL = { 21.6, 24.8 };

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRecordingWhosePicturesStartLateAndVaryInRatePlaysWithNoSeamAndInSync(@TempDir Path folder) throws Exception {
		Path source = recording(folder.resolve("recording.mkv"));
		assertPlaysWholeAndInSync(transcode(source, "Late pictures", true), source, folder, true);
	}

	/** As a browser records it (MediaRecorder): WebM, VP8 and Opus, with no index and no duration. */
	@Test
	void theSameRecordingAsABrowsersWebmWithNoIndexIsCutTooAndPlaysWithNoSeamAndInSync(@TempDir Path folder) throws Exception {
		Path source = converted(recording(folder.resolve("browser.mkv")), folder.resolve("browser.webm"), "-c:v", "libvpx",
				"-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-c:a", "libopus", "-f", "webm", "-live", "1");
		Media.Run probe = Media.run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
				source.toString()), 60);
		assertThat(probe.stdout().strip()).as("the WebM's duration, as a browser leaves it").isEqualTo("N/A");
		assertPlaysWholeAndInSync(transcode(source, "Browser", true), source, folder, true);
	}

	@Test
	void theSameRecordingAsMpegTsTakesTheSinglePassAndPlaysInSync(@TempDir Path folder) throws Exception {
		// As a camcorder writes it: MPEG-TS, its clock far from 0.
		Path source = converted(recording(folder.resolve("camera.mkv")), folder.resolve("camera.mts"), "-c", "copy",
				"-output_ts_offset", "10", "-f", "mpegts");
		// MPEG-TS seeks are not exact: the single pass, no chunk.
		assertPlaysWholeAndInSync(transcode(source, "Camcorder", false), source, folder, false);
	}

	/** A video uploaded by its owner. */
	private record Uploaded(ApiClient owner, String id) {
	}

	/** Uploads {@code source} and waits for READY, cut into chunks or not as {@code cut} says. */
	private Uploaded transcode(Path source, String title, boolean cut) throws Exception {
		ApiClient owner = newUser("recording");
		String id = owner.tusUpload(source, title, "PUBLIC", 1 << 20).videoId();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(5));
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
		assertThat(video.path("durationSeconds").asDouble()).as("%s", video).isCloseTo(SECONDS, Offset.offset(0.2));
		long chunks = jdbc.sql("SELECT COUNT(*) FROM jobs WHERE payload LIKE ? AND payload LIKE ?").param("%\"kind\":\"chunk\"%")
				.param("%\"videoId\":\"" + id + "\"%").query(Long.class).single();
		if (cut) {
			assertThat(chunks).as("chunk jobs of %s (%s, %d s)", id, source.getFileName(), SECONDS).isGreaterThan(2);
		}
		else {
			assertThat(chunks).as("chunk jobs of %s (%s)", id, source.getFileName()).isZero();
		}
		return new Uploaded(owner, id);
	}

	/** {@code source} (every stream) written again to {@code target} with the output {@code options}. */
	static Path converted(Path source, Path target, String... options) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", source.toString(), "-map", "0"));
		command.addAll(List.of(options));
		command.add(target.toString());
		Media.Run run = Media.run(command, 120);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		return target;
	}

	private void assertPlaysWholeAndInSync(Uploaded video, Path source, Path folder, boolean seams) throws Exception {
		ApiClient owner = video.owner();
		String id = video.id();
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		String masterUrl = owner.base() + listing.path("masterUrl").asString();
		String audioUrl = masterUrl.replace("master.m3u8", "audio/index.m3u8");
		List<Double> beeps = beeps(audioUrl);
		long reference = singlePassFrames(source);
		assertThat(reference).as("a single pass's frames of %s", source).isBetween(SECONDS * FPS - 1L, SECONDS * FPS + 4L);
		assertThat(beeps).as("beeps heard in %s", audioUrl).hasSizeBetween(SECONDS / MARK_EVERY - 1, SECONDS / MARK_EVERY);
		int qualities = 0;
		for (JsonNode quality : listing.path("qualities")) {
			if (quality.path("width").asInt() == 0) {
				continue;
			}
			qualities++;
			String url = owner.base() + quality.path("url").asString();
			String name = quality.path("name").asString();
			List<double[]> frames = frames(url);

			// From the sound's start (the first picture held until its own time) to the end, one frame
			// apart everywhere: no gap or overlap at a seam.
			assertThat((long) frames.size()).as("decoded frames of %s against a single pass's %d", name, reference)
					.isBetween(reference - 1, reference + 1);
			for (int i = 1; i < frames.size(); i++) {
				assertThat(frames.get(i)[0] - frames.get(i - 1)[0]).as("%s: step from frame %d to %d (a seam every %d frames)",
						name, i - 1, i, CHUNK_FRAMES).isCloseTo(1.0 / FPS, Offset.offset(0.002));
			}

			// The flash seen with the beep heard, within a frame (the variable rate moves a flash by up
			// to 12 ms, onto the nearest frame).
			List<Double> flashes = new ArrayList<>();
			for (int i = 0; i < frames.size(); i++) {
				if (frames.get(i)[1] > 200 && (i == 0 || frames.get(i - 1)[1] <= 200)) {
					flashes.add(frames.get(i)[0]);
				}
			}
			List<Double> seen = beeps.stream().filter(b -> b < STALL[0] || b > STALL[1] + 0.2).toList();
			assertThat(flashes).as("flashes seen in %s (frames from %.3f s), beeps %s", name, frames.get(0)[0], beeps)
					.hasSameSizeAs(seen);
			for (int i = 0; i < flashes.size(); i++) {
				assertThat(flashes.get(i)).as("%s: flash %d against its beep (%s)", name, i, seen)
						.isCloseTo(seen.get(i), Offset.offset(1.0 / FPS + 0.025));
			}

			if (seams) {
				// The pictures at and around each seam are the source's of that moment.
				List<Double> psnr = ChunkedTranscodeIntegrationTests.psnr(url, source, quality.path("width").asInt(), quality.path("height").asInt(), folder, name);
				for (int seam = CHUNK_FRAMES; seam < frames.size(); seam += CHUNK_FRAMES) {
					for (int frame = seam - 2; frame <= seam + 1 && frame < psnr.size(); frame++) {
						assertThat(psnr.get(frame)).as("%s: PSNR of frame %d against the source (seam at frame %d)", name, frame, seam)
								.isGreaterThan(33);
					}
				}
			}
		}
		assertThat(qualities).as("video qualities of %s", listing).isGreaterThan(1);
		// The first rendition (one pass) and the chunked quality cut their segments on the same frames.
		ChunkedTranscodeIntegrationTests.assertSegmentsLineUp(owner, listing);
	}

	/**
	 * The recording: testsrc2 (a moving counter, every frame its own picture) with a white flash of 0.1 s,
	 * and a 1 kHz beep of 0.1 s, every {@link #MARK_EVERY} seconds from 1 s on; the pictures cut to
	 * start at {@link #PICTURES_START}, none during {@link #STALL}, and their times moved by up to
	 * 12 ms each (a variable rate).
	 */
	static Path recording(Path target) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc2=size=640x360:rate=" + FPS + ",drawbox=c=white:t=fill:enable='lt(mod(t+1\\," + MARK_EVERY + ")\\,0.1)'",
				"-f", "lavfi", "-i",
				"aevalsrc='if(lt(mod(t+1\\," + MARK_EVERY + ")\\,0.1)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000", "-t",
				String.valueOf(SECONDS), "-filter_complex",
				"[0:v]trim=start=" + PICTURES_START + ",select='not(between(t\\," + STALL[0] + "\\," + STALL[1]
						+ "))',setpts='PTS+0.012*sin(N)/TB'[v]", "-map", "[v]", "-map", "1:a",
				"-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"));
		command.add(target.toString());
		Media.Run made = Media.run(command, 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		return target;
	}

	private static final Pattern FRAME = Pattern.compile("pts_time:(-?[0-9.]+)");
	private static final Pattern YAVG = Pattern.compile("lavfi\\.signalstats\\.YAVG=([0-9.]+)");
	private static final Pattern SILENCE_END = Pattern.compile("silence_end: (-?[0-9.]+)");

	/** The frames of the source through a single pass's constant-rate filter, pictures and sound read together. */
	private static long singlePassFrames(Path source) throws Exception {
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-i", source.toString(), "-map", "0:v:0", "-map",
				"0:a:0", "-vf", "fps=" + FPS + ":start_time=0", "-f", "framemd5", "-"), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		return run.stdout().lines().filter(l -> l.startsWith("0,")).count();
	}

	/** Each decoded frame's time on the stream's own clock (the one a player syncs by) and its mean brightness. */
	static List<double[]> frames(String url) throws Exception {
		return frames(url, false);
	}

	/**
	 * As {@link #frames(String)}; {@code asRecorded}: every frame as the stream holds it, at its own
	 * time (the recording's own pictures: two of its frames may share a time, which the null muxer
	 * reports, and which is no decoding error).
	 */
	static List<double[]> frames(String url, boolean asRecorded) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-copyts", "-i", url, "-map", "0:v:0"));
		if (asRecorded) {
			command.addAll(List.of("-fps_mode", "passthrough"));
		}
		command.addAll(List.of("-vf", "signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null", "-"));
		Media.Run run = Media.run(command, 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		String errors = asRecorded ? run.stderr().lines().filter(l -> !l.contains("non monotonically increasing dts to muxer"))
				.collect(java.util.stream.Collectors.joining("\n")) : run.stderr();
		assertThat(errors).as("decoder errors in %s", url).isBlank();
		List<double[]> frames = new ArrayList<>();
		double time = Double.NaN;
		for (String line : run.stdout().lines().toList()) {
			Matcher frame = FRAME.matcher(line);
			Matcher yavg = YAVG.matcher(line);
			if (frame.find()) {
				time = Double.parseDouble(frame.group(1));
			}
			else if (yavg.find()) {
				frames.add(new double[] { time, Double.parseDouble(yavg.group(1)) });
			}
		}
		return frames;
	}

	/**
	 * When each beep starts, on the audio stream's own clock: where a silence ends, but for the end
	 * of the stream, which silencedetect reports as the end of the last silence.
	 */
	static List<Double> beeps(String url) throws Exception {
		Media.Run run = Media.run(List.of("ffmpeg", "-nostdin", "-copyts", "-i", url, "-map", "0:a:0", "-af",
				"silencedetect=n=-30dB:d=0.05", "-f", "null", "-"), 300);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		List<Double> beeps = new ArrayList<>();
		Matcher end = SILENCE_END.matcher(run.stderr());
		while (end.find()) {
			double at = Double.parseDouble(end.group(1));
			if (at < SECONDS - 0.5) {
				beeps.add(at);
			}
		}
		return beeps;
	}
}
