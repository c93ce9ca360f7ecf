package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.SelectOption;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Chromium;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Captions in a real browser (Debian's chromium, Playwright): the owner adds a SubRip track on
 * the watch page, picks it in the player's captions menu, and its cue is showing at the time it
 * names and not before or after; the SubRip stream of a Matroska file shows up in the menu too.
 */
@RequiresChromium
class CaptionsBrowserIntegrationTests extends AppIntegrationTest {

	private static final Path SHOTS = Paths.get("target", "screenshots");
	private static final String PASSWORD = "correct horse battery";

	/** The cues showing on the video's showing text track, joined by '|'; null when no track is showing. */
	private static final String ACTIVE_CUES = "() => { const t = [...document.getElementById('video').textTracks]"
			+ ".find((t) => t.mode === 'showing'); return t && t.activeCues ? [...t.activeCues].map((c) => c.text).join('|') : null; }";

	@RegisterExtension
	static final Chromium CHROMIUM = new Chromium();


	@BeforeAll
	static void launchBrowser() throws Exception {
		Files.createDirectories(SHOTS);
		PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
	}

	@AfterAll
	static void closeBrowser() {
	}

	@AfterEach
	void noPageErrors() {
		assertThat(CHROMIUM.pageErrors()).as("errors on the pages").isEmpty();
	}

	@Test
	void theOwnerAddsCaptionsOnTheWatchPageAndTheCueShowsAtItsTime() throws Exception {
		String name = "capweb" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient owner = anonymous().signUp(name, PASSWORD);
		Path clip = Media.testClip(Files.createTempDirectory("captions-web-").resolve("clip.mp4"), "320x240", 10);
		var created = owner.multipart(clip, "Captioned " + name, "UNLISTED");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = ApiClient.json(created).path("id").asString();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");

		Path srt = Files.createTempFile("captions-", ".srt");
		Files.writeString(srt, """
				1
				00:00:05,000 --> 00:00:07,000
				Hello <i>captions</i><script>alert(1)</script>
				""", StandardCharsets.UTF_8);

		BrowserContext context = signedIn(name);
		Page page = context.newPage();
		open(page, "/watch/" + id, "#captions-owner:not([hidden])");
		expect(page.locator("#captions-list")).containsText("No captions yet.");
		// Without tracks the menu is not shown.
		expect(page.locator("#captions")).isHidden();

		page.locator("#caption-file").setInputFiles(srt);
		page.getByLabel("Language (BCP 47, e.g. en, pt-BR)").fill("en");
		page.getByLabel("Label shown in the menu").fill("English");
		page.locator("#caption-upload").click();
		expect(page.locator("#captions-list li[data-language=en]")).containsText("English (en)");

		// The player reloaded the stream: the menu offers the track, Off by default.
		Locator menu = page.locator("#captions");
		expect(menu).isVisible();
		expect(menu.locator("option")).hasText(new String[] { "Captions off", "English" });
		assertThat(menu.inputValue()).isEqualTo("-1");
		menu.selectOption(new SelectOption().setLabel("English"));

		// During the cue: its text (cleaned), from the cue's start on the player's clock. Before and after it: nothing.
		seek(page, 5.6);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === 'Hello <i>captions</i>alert(1)'");
		double start = ((Number) page.evaluate("() => [...document.getElementById('video').textTracks]"
				+ ".find((t) => t.mode === 'showing').activeCues[0].startTime")).doubleValue();
		assertThat(start).as("the cue's start on the player's clock").isBetween(4.85, 5.15);
		shoot(page, "captions-watch");
		seek(page, 4.7);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === ''");
		seek(page, 5.1);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === 'Hello <i>captions</i>alert(1)'");
		seek(page, 7.3);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === ''");

		// Off hides them again.
		menu.selectOption(new SelectOption().setLabel("Captions off"));
		seek(page, 5.6);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === null");
		context.close();
	}

	@Test
	void theSubRipStreamOfAMatroskaFileIsInTheMenu() throws Exception {
		ApiClient owner = newUser("capmkv");
		var created = owner.multipart(Media.real("mkv_h264_ac3_srt.mkv"), "Matroska with subtitles", "PUBLIC");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = ApiClient.json(created).path("id").asString();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");

		BrowserContext context = newContext();
		Page page = context.newPage();
		open(page, "/watch/" + id, "#captions");
		Locator menu = page.locator("#captions");
		expect(menu).isVisible();
		expect(menu.locator("option")).hasText(new String[] { "Captions off", "Subs Label" });
		expect(page.locator("#captions-owner")).isHidden();
		menu.selectOption(new SelectOption().setLabel("Subs Label"));
		seek(page, 0.5);
		page.waitForFunction("() => (" + ACTIVE_CUES + ")() === 'This is the first subtitle.'");
		context.close();
	}

	/** Pauses and seeks the player, then waits until the picture is there. */
	private static void seek(Page page, double seconds) {
		page.evaluate("(t) => { const v = document.getElementById('video'); v.pause(); v.currentTime = t; }", seconds);
		page.waitForFunction("(t) => { const v = document.getElementById('video'); return !v.seeking && Math.abs(v.currentTime - t) < 0.05 && v.readyState >= 2; }",
				seconds);
	}

	private BrowserContext signedIn(String name) throws Exception {
		JsonNode tokens = ApiClient.json(anonymous().send("POST", "/api/auth/login", Map.of("username", name, "password", PASSWORD)));
		BrowserContext context = newContext();
		Chromium.signIn(context, tokens);
		return context;
	}

	private BrowserContext newContext() {
		return CHROMIUM.newContext();
	}

	private void open(Page page, String path, String ready) {
		Chromium.open(page, "http://127.0.0.1:" + port + path, ready);
	}

	private static void shoot(Page page, String name) {
		page.locator("#player").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}
}
