package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Chromium;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Publish early (issue #11) in a real browser: the owner has the watch page of a long video open
 * from the upload on; once the first rendition is coming (one quality, made whole ahead of the
 * chunks and published as it goes), the page starts the player by itself (its SSE says
 * {@code playable}), hls.js plays from the start while the video is still PROCESSING and the page
 * says that the rest is coming; at READY the page loads the stream again with every quality, and
 * the player goes past the chunks' seams. One worker makes the parts one after the other, so READY
 * comes well after {@code playable}.
 */
@RequiresChromium
@TestPropertySource(properties = { "videoforge.transcode.chunk-threshold=20s", "videoforge.transcode.chunk-seconds=8",
		"videoforge.transcode.max-workers=1" })
class PlayableWhileProcessingBrowserIntegrationTests extends AppIntegrationTest {

	private static final String PASSWORD = "correct horse battery";

	@Test
	void aPlayableVideoPlaysInTheBrowserWhileStillProcessingAndPastItsSeamsOnceReady(@TempDir Path folder) throws Exception {
		Path source = Media.testClip(folder.resolve("long counter.mp4"), "1280x720", 72);
		String name = "early" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		anonymous().signUp(name, PASSWORD);
		JsonNode tokens = ApiClient.json(anonymous().send("POST", "/api/auth/login", Map.of("username", name, "password", PASSWORD)));
		ApiClient owner = anonymous().as(tokens.path("accessToken").asString());
		String id = owner.tusUpload(source, "Long counter", "PRIVATE", 4 << 20).videoId();

		try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
				Browser browser = playwright.chromium()
						.launch(new BrowserType.LaunchOptions().setExecutablePath(RequiresChromium.CHROMIUM).setHeadless(true))) {
			BrowserContext context = browser.newContext();
			Chromium.signIn(context, tokens);
			Page page = context.newPage();
			List<String> errors = new CopyOnWriteArrayList<>();
			page.onPageError(errors::add);
			page.navigate("http://127.0.0.1:" + port + "/watch/" + id);
			assertThat(status(owner, id)).as("the page opened before the video was playable").isIn("QUEUED", "PROCESSING");

			// The page starts the player by itself when the video becomes playable.
			page.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
					+ "|| (!document.getElementById('big-play').hidden && document.getElementById('video').currentSrc)", null,
					new Page.WaitForFunctionOptions().setTimeout(Duration.ofMinutes(4).toMillis()).setPollingInterval(200));
			if (page.locator("#big-play").isVisible()) {
				page.locator("#big-play").click();
			}
			page.waitForFunction("() => document.getElementById('video').currentTime > 1.5", null,
					new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(100));
			JsonNode playing = ApiClient.json(owner.get("/api/gallery/videos/" + id));
			assertThat(playing.path("status").asString()).as("playing in the browser while %s", playing).isEqualTo("PROCESSING");
			assertThat(playing.path("playable").asBoolean()).as("%s", playing).isTrue();
			assertThat(page.locator("#still-processing").isVisible()).as("the still-processing note").isTrue();
			assertThat(page.locator("#still-processing").textContent()).contains("Still processing");
			assertThat(page.locator("#processing").isVisible()).as("the processing box is gone").isFalse();
			// It keeps playing: the time runs on, with pictures, while the rest is made.
			double at = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
			page.waitForFunction("t => document.getElementById('video').currentTime > t + 1", at,
					new Page.WaitForFunctionOptions().setTimeout(30_000).setPollingInterval(100));
			assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
			assertThat(((Number) page.evaluate("() => document.getElementById('video').videoHeight")).intValue()).isPositive();
			assertThat(status(owner, id)).as("still PROCESSING after playing for a while").isEqualTo("PROCESSING");
			// On the first rendition alone: nothing to choose yet.
			assertThat(page.locator("#quality").isDisabled()).as("the quality menu while on the first rendition").isTrue();

			// READY: the note goes, and the player goes on past the first seams (every 8 s).
			assertThat(owner.awaitFinal(id, Duration.ofMinutes(6)).path("status").asString()).isEqualTo("READY");
			page.waitForFunction("() => document.getElementById('still-processing').hidden", null,
					new Page.WaitForFunctionOptions().setTimeout(30_000));
			// The stream is loaded again with every quality (Auto and the ladder of a 720p source).
			page.waitForFunction("() => document.getElementById('quality').options.length > 3 "
					+ "&& !document.getElementById('quality').disabled", null, new Page.WaitForFunctionOptions().setTimeout(30_000));
			// The page may still be attaching the reloaded stream: a play() cut short by that load is asked again.
			page.evaluate("async () => { const v = document.getElementById('video'); v.currentTime = Math.max(v.currentTime, 15); "
					+ "const deadline = Date.now() + 30000; for (;;) { try { await v.play(); return; } catch (e) { "
					+ "if (e.name !== 'AbortError' || Date.now() > deadline) throw e; await new Promise(r => setTimeout(r, 200)); } } }");
			page.waitForFunction("() => document.getElementById('video').currentTime > 17.5 "
					+ "&& !document.getElementById('video').paused", null,
					new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(100));
			// Far on, past a later seam, it plays on too.
			page.evaluate("() => { document.getElementById('video').currentTime = 55; }");
			page.waitForFunction("() => document.getElementById('video').currentTime > 57.5", null,
					new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(100));
			assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
			assertThat(((Number) page.evaluate("() => document.getElementById('video').webkitDecodedFrameCount")).intValue())
					.as("frames decoded").isPositive();
			assertThat(page.locator("#player-message").isVisible()).as("no player message").isFalse();
			assertThat(errors).as("uncaught script errors").isEmpty();
			context.close();
		}
	}

	private static String status(ApiClient owner, String id) throws Exception {
		return ApiClient.json(owner.get("/api/gallery/videos/" + id)).path("status").asString();
	}
}
