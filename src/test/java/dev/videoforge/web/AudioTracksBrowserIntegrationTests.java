package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * hls.js in a real browser (Debian's chromium, Playwright) plays a video whose sound is in audio
 * renditions of their own (issue #11): pictures from a quality, sound from the default track of
 * the audio group, both by signed links for an UNLISTED video, and no other track fetched.
 */
@RequiresChromium
class AudioTracksBrowserIntegrationTests extends AppIntegrationTest {

	@Test
	void theWatchPagePlaysPicturesWithTheDefaultAudioTrack() throws Exception {
		Path source = Files.createTempDirectory("audio-tracks-browser-").resolve("two tracks.mkv");
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
				"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000",
				"-t", "6", "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
				"-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=spa", source.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		ApiClient owner = newUser("tracksweb");
		String id = owner.tusUpload(source, "Two tracks", "UNLISTED", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("READY");

		try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
				Browser browser = playwright.chromium()
						.launch(new BrowserType.LaunchOptions().setExecutablePath(RequiresChromium.CHROMIUM).setHeadless(true))) {
			Page page = browser.newPage();
			List<String> requests = new CopyOnWriteArrayList<>();
			List<String> errors = new CopyOnWriteArrayList<>();
			page.onRequest(r -> requests.add(r.url()));
			page.onPageError(errors::add);
			page.navigate("http://127.0.0.1:" + port + "/watch/" + id);
			page.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
					+ "|| !document.getElementById('big-play').hidden");
			if (page.locator("#big-play").isVisible()) {
				page.locator("#big-play").click();
			}
			page.waitForFunction("() => document.getElementById('video').currentTime > 1.5", null,
					new Page.WaitForFunctionOptions().setTimeout(30_000));
			assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
			assertThat(((Number) page.evaluate("() => document.getElementById('video').videoHeight")).intValue()).isPositive();
			// Chromium's count of the sound it decoded: the default track reached the decoder.
			page.waitForFunction("() => document.getElementById('video').webkitAudioDecodedByteCount > 0");
			assertThat(requests).as("the default track's segments, signed").anyMatch(
					u -> u.contains("/api/stream/" + id + "/audio/seg_") && u.contains("sig="));
			assertThat(requests).as("no other track is fetched").noneMatch(u -> u.contains("/audio2/seg_"));
			assertThat(errors).as("uncaught script errors").isEmpty();
		}
	}
}
