package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.SelectOption;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Chromium;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.RequiresChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Downloads and posters in a real browser (issue #12): the owner allows downloads and picks a
 * poster frame on My videos, the watch page then offers Download, the click saves an MP4, and
 * that very file plays in chromium (and decodes completely).
 */
@RequiresChromium
class DownloadsBrowserIntegrationTests extends AppIntegrationTest {

	private static final String PASSWORD = "correct horse battery";

	@RegisterExtension
	static final Chromium CHROMIUM = new Chromium();


	@BeforeAll
	static void launchBrowser() {
		PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
	}

	@AfterAll
	static void closeBrowser() {
	}

	@Test
	void theOwnerAllowsDownloadsAndTheDownloadedMp4Plays() throws Exception {
		String name = "dl" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient owner = anonymous().signUp(name, PASSWORD);
		Path clip = Media.testClip(Files.createTempDirectory("dl-browser-").resolve("clip.mp4"), "640x360", 4);
		String id = owner.tusUpload(clip, "Harbour " + name, "UNLISTED", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("READY");

		JsonNode tokens = ApiClient.json(anonymous().send("POST", "/api/auth/login", Map.of("username", name, "password", PASSWORD)));
		BrowserContext context = CHROMIUM.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setAcceptDownloads(true));
		Chromium.signIn(context, tokens);
		Page page = context.newPage();

		// The watch page offers no download while the owner has not allowed it.
		open(page, "/watch/" + id, "#video-title");
		expect(page.locator("#controls")).isVisible();
		expect(page.locator("#download")).isHidden();

		// My videos: Edit, allow downloads, save; then a poster from the frame at 3 s.
		open(page, "/my", "#my-videos[aria-busy=false]");
		Locator row = page.locator("#video-" + id);
		String posterBefore = row.locator("img").first().getAttribute("src");
		row.locator("button.edit").click();
		row.getByLabel("Allow downloads").check();
		row.locator("button.save").click();
		expect(page.locator("#my-notice")).containsText("Saved");
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + id)).path("downloadable").asBoolean()).isTrue();

		row = page.locator("#video-" + id);
		row.locator("button.edit").click();
		row.getByLabel("Frame at (seconds)").fill("3");
		Files.createDirectories(Paths.get("target", "screenshots"));
		page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "my-edit-downloads-poster.png")));
		row.locator("button.poster-time").click();
		expect(page.locator("#my-notice")).containsText("New poster");
		String posterAfter = page.locator("#video-" + id + " img").first().getAttribute("src");
		assertThat(posterAfter).isNotEqualTo(posterBefore).contains("/poster-");
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + id)).path("thumbnailUrl").asString())
				.contains("/poster-");

		// The watch page: Download, with a choice of quality; the click saves an MP4.
		open(page, "/watch/" + id, "#video-title");
		expect(page.locator("#download-link")).isVisible();
		Locator choice = page.locator("#download-quality");
		List<String> offered = choice.locator("option").allTextContents();
		assertThat(offered).as("every quality of a 640x360 source").hasSizeGreaterThanOrEqualTo(2);
		String quality = offered.get(offered.size() - 1);
		choice.selectOption(new SelectOption().setLabel(quality));
		page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "watch-download.png")));
		Download download = page.waitForDownload(() -> page.locator("#download-link").click());
		assertThat(download.failure()).isNull();
		// From filename* (RFC 6266): the title as typed, with the quality.
		assertThat(download.suggestedFilename()).isIn("Harbour " + name + "-" + quality + ".mp4",
				"Harbour-" + name + "-" + quality + ".mp4");
		Path saved = Files.createTempDirectory("dl-saved-").resolve(download.suggestedFilename());
		download.saveAs(saved);
		assertThat(Files.size(saved)).isGreaterThan(10_000);

		// The downloaded file plays in chromium: its own player for a local file.
		Page player = context.newPage();
		player.navigate(saved.toUri().toString());
		player.locator("video").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
		player.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }");
		player.waitForFunction("() => { const v = document.querySelector('video'); return v.currentTime > 1 && v.videoWidth > 0; }",
				null, new Page.WaitForFunctionOptions().setTimeout(30_000));
		int width = ((Number) player.evaluate("() => document.querySelector('video').videoWidth")).intValue();
		assertThat(width).as("the picture of %s", quality).isLessThanOrEqualTo(640).isPositive();

		// And it decodes completely: pictures and sound for the clip's 4 s.
		Renditions.Decoded decoded = Renditions.decode(saved.toString());
		assertThat(decoded.errors()).as("%s", decoded).isBlank();
		assertThat(decoded.hasVideo()).isTrue();
		assertThat(decoded.hasAudio()).isTrue();
		assertThat(decoded.seconds()).as("%s", decoded).isBetween(3.8, 4.2);
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors").isEmpty();
	}

	private void open(Page page, String path, String ready) {
		Chromium.open(page, "http://127.0.0.1:" + port + path, ready);
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}
}
