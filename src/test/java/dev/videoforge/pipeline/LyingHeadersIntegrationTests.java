package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Headers lie both ways. A duration that is missing (browser recordings), absurd (fragmented MP4
 * whose boxes say "unknown" as 0xFFFFFFFF) or short (a Matroska claiming 1 s) is not what the
 * server goes by: it measures what the media holds, refuses what is longer than the limit, and
 * makes renditions as long as the media. Every check here decodes the renditions' frames.
 */
class LyingHeadersIntegrationTests extends AppIntegrationTest {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	@TempDir
	Path temp;

	@Test
	void aMatroskaClaimingOneSecondThatHoldsSixHoursAndMoreIsRefused() throws Exception {
		Path file = temp.resolve("seven-hours.mkv");
		make(List.of("-f", "lavfi", "-i", "color=c=black:s=64x64:r=1", "-t", "21700", "-c:v", "libx264", "-preset",
				"ultrafast", "-g", "300"), file);
		claimDuration(file, 1.0);
		assertThat(Media.probe(file.toString()).path("format").path("duration").asDouble()).as("the header's claim")
				.isCloseTo(1.0, within(0.01));

		ApiClient mallory = newUser("mallory");
		var upload = mallory.tusUpload(file, "One second, honest", "PUBLIC", 1 << 20);
		assertThat(upload.lastResponse().statusCode()).as(upload.lastResponse().body()).isEqualTo(422);
		JsonNode error = ApiClient.json(upload.lastResponse());
		assertThat(error.path("error").asString()).isEqualTo("media_refused");
		assertThat(error.path("message").asString()).contains("the maximum is 21600 s");
		assertThat(mallory.get("/api/gallery/videos/" + upload.videoId()).statusCode()).isEqualTo(404);
		assertThat(mallory.multipart(file, "One second, honest", "PUBLIC").statusCode()).isEqualTo(422);
	}

	@Test
	void aMatroskaClaimingOneSecondIsTranscodedForAllItHolds() throws Exception {
		Path file = temp.resolve("twelve-seconds.mkv");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine", "-t", "12", "-c:v",
				"libx264", "-preset", "ultrafast", "-c:a", "aac"), file);
		claimDuration(file, 1.0);
		assertReadyLasting(file, 12.0);
	}

	@Test
	void fragmentedMp4WithMissingOrAbsurdHeaderDurationsBecomeReady() throws Exception {
		Path missing = temp.resolve("fragmented.mp4");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine", "-t", "5", "-c:v",
				"libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"), missing);
		Path absurd = temp.resolve("fragmented-absurd.mp4");
		Files.write(absurd, unknownDurations(Files.readAllBytes(missing)));
		assertThat(Media.probe(absurd.toString()).path("format").path("duration").asDouble()).as("the header's claim")
				.isGreaterThan(21600);
		assertReadyLasting(missing, 5.0);
		assertReadyLasting(absurd, 5.0);
	}

	@Test
	void veryShortClipsAtOddFrameRatesBecomeReadyWithPictures() throws Exception {
		Path wmv = temp.resolve("short.wmv");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=7.3", "-f", "lavfi", "-i", "sine", "-t", "0.14",
				"-c:v", "wmv2", "-c:a", "wmav2"), wmv);
		Path odd = temp.resolve("odd.mp4");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=322x182:rate=1001/97", "-t", "0.3", "-c:v", "libx264", "-preset",
				"ultrafast"), odd);
		Path fast = temp.resolve("fast.mkv");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=176x144:rate=119.88", "-t", "0.05", "-c:v", "libx264", "-preset",
				"ultrafast"), fast);
		for (Path clip : List.of(wmv, odd, fast)) {
			// What the clip holds: its longest stream, as decoded (the WMV's one picture lasts 1 ms, its sound 0.2 s).
			assertReadyLasting(clip, Renditions.decode(clip.toString()).seconds());
		}
	}

	@Test
	void anUploadWhoseRenditionsWouldHoldNoPictureFails() throws Exception {
		// A real H.264 stream whose every packet is noise: it probes as video, and not one frame decodes.
		Path noisy = temp.resolve("noise.mp4");
		make(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine", "-t", "3", "-c:v",
				"libx264", "-preset", "ultrafast", "-bsf:v", "noise=amount=2", "-c:a", "aac"), noisy);
		assertThat(Renditions.decode(noisy.toString()).hasVideo()).as("the source really has no decodable picture").isFalse();
		ApiClient bob = newUser("bob");
		var upload = bob.tusUpload(noisy, "Noise", "PUBLIC", 1 << 20);
		assertThat(upload.lastResponse().statusCode()).isEqualTo(204);
		JsonNode video = bob.awaitFinal(upload.videoId(), Duration.ofMinutes(2));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("FAILED");
		assertThat(video.path("error").asString()).isNotBlank().doesNotContain("ffmpeg");
		assertThat(bob.get("/api/stream/" + upload.videoId() + "/master.m3u8").statusCode()).isEqualTo(404);
	}

	@Test
	void aBrowserRecordingWithoutDurationOrCuesBecomesReady() throws Exception {
		assertThat(CHROMIUM).as("the browser tests need Debian's chromium (./videoforge test installs it)").isExecutable();
		Path recording = temp.resolve("recording.webm");
		try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
				.setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
			Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
					.setHeadless(true).setArgs(List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")));
			Page page = browser.newContext().newPage();
			// A secure context (loopback) for getUserMedia; any page of the server will do.
			page.navigate(anonymous().base() + "/login");
			String base64 = (String) page.evaluate("""
					async () => {
					  const stream = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}, audio: true});
					  const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8,opus'});
					  const chunks = [];
					  recorder.ondataavailable = e => chunks.push(e.data);
					  const stopped = new Promise(resolve => recorder.onstop = resolve);
					  recorder.start(500);
					  await new Promise(resolve => setTimeout(resolve, 3000));
					  recorder.stop();
					  await stopped;
					  stream.getTracks().forEach(t => t.stop());
					  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
					  let text = '';
					  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
					  return btoa(text);
					}""");
			Files.write(recording, Base64.getDecoder().decode(base64));
			browser.close();
		}
		JsonNode header = Media.probe(recording.toString());
		assertThat(header.path("format").path("duration").isMissingNode()).as("MediaRecorder writes no duration: " + header)
				.isTrue();
		assertReadyLasting(recording, Renditions.decode(recording.toString()).seconds());
	}

	/** Uploads the file; it must become READY, last {@code seconds}, and every quality must decode for as long. */
	private void assertReadyLasting(Path file, double seconds) throws Exception {
		ApiClient alice = newUser("alice");
		var upload = alice.tusUpload(file, "Honest " + file.getFileName(), "PUBLIC", 1 << 20);
		assertThat(upload.lastResponse().statusCode()).as("%s: %s", file.getFileName(), upload.lastResponse().body())
				.isEqualTo(204);
		JsonNode video = alice.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).as("%s: %s", file.getFileName(), video).isEqualTo("READY");
		Renditions.Decoded source = Renditions.decode(file.toString());
		assertThat(source.seconds()).as("%s decoded", source).isCloseTo(seconds, within(0.1));
		// What the media holds: between its shortest and its longest track as decoded (a browser on
		// a busy machine records its last frames of picture a little before the sound ends).
		double tolerance = Math.max(0.15, seconds * 0.05);
		double shortest = source.tracks().stream().filter(t -> t.frames() > 0).mapToDouble(Renditions.Track::seconds).min()
				.orElse(seconds);
		assertThat(video.path("durationSeconds").asDouble()).as("%s duration (tracks %s)", file.getFileName(), source.tracks())
				.isBetween(Math.min(shortest, seconds) - tolerance, seconds + tolerance);
		JsonNode qualities = ApiClient.json(alice.get("/api/stream/" + upload.videoId() + "/qualities")).path("qualities");
		assertThat(qualities.size()).as("qualities of %s", video).isEqualTo(video.path("qualities").size()).isPositive();
		for (JsonNode quality : qualities) {
			Renditions.assertRendition(alice.base() + quality.path("url").asString(), source, quality.path("width").asInt() > 0);
		}
	}

	private static void make(List<String> args, Path target) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
		command.addAll(args);
		command.add(target.toString());
		Media.Run made = Media.run(command, 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
	}

	/** Rewrites a Matroska file's Segment Duration and its per-track DURATION tags to claim {@code seconds}. */
	private static void claimDuration(Path mkv, double seconds) throws Exception {
		byte[] bytes = Files.readAllBytes(mkv);
		int at = -1;
		for (int i = 0; i + 11 < bytes.length; i++) {
			if ((bytes[i] & 0xff) == 0x44 && (bytes[i + 1] & 0xff) == 0x89 && (bytes[i + 2] & 0xff) == 0x88) {
				at = i + 3;
				break;
			}
		}
		assertThat(at).as("Duration element").isPositive();
		// The Info's TimestampScale is ffmpeg's default, 1 ms.
		ByteBuffer.wrap(bytes, at, 8).putDouble(seconds * 1000);
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		Matcher tags = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{9}").matcher(text);
		String claim = String.format("00:00:%02d.%09d", (int) seconds, Math.round((seconds % 1) * 1e9));
		while (tags.find()) {
			System.arraycopy(claim.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, tags.start(), claim.length());
		}
		Files.write(mkv, bytes);
	}

	/** Sets every mvhd, tkhd and mdhd duration to 0xFFFFFFFF, as muxers that mean "unknown" write it. */
	private static byte[] unknownDurations(byte[] mp4) {
		byte[] out = mp4.clone();
		String text = new String(out, StandardCharsets.ISO_8859_1);
		for (String box : List.of("mvhd", "mdhd", "tkhd")) {
			int offset = box.equals("tkhd") ? 24 : 20;
			for (int i = text.indexOf(box); i >= 0; i = text.indexOf(box, i + 4)) {
				for (int b = 0; b < 4; b++) {
					out[i + offset + b] = (byte) 0xff;
				}
			}
		}
		return out;
	}
}
