package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.sun.net.httpserver.HttpServer;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Chromium;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresChromium;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Embeds in a real browser (Debian's chromium, Playwright): another site, a second HTTP server on
 * another port reached as {@code localhost} (so another origin and another site than the
 * application at 127.0.0.1), pastes the iframe oEmbed gave it, and the video plays inside it;
 * {@code ?t=} starts it later, {@code ?autoplay=1} starts it muted by itself, an UNLISTED video
 * plays from signed links, a PRIVATE one is "not available". On the watch page, the Share dialog
 * offers the link and the embed code, with {@code ?t=} when "Start at" is ticked.
 */
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbedBrowserIntegrationTests extends AppIntegrationTest {

	/** 4.2 s of AV1 10-bit HDR, 720x1280 portrait: long enough to see playback move on from 2 s. */
	private static final String CLIP = "av1_10bit_hdr10_portrait_720x1280.mp4";

	@RegisterExtension
	static final Chromium CHROMIUM = new Chromium();
	private HttpServer blog;
	private final Map<String, String> blogPages = new ConcurrentHashMap<>();

	private ApiClient owner;
	private String publicId;
	private String unlistedId;
	private String privateId;

	@BeforeAll
	void setUp() throws Exception {
		owner = newUser("embeds");
		String suffix = Long.toString(System.nanoTime(), 36);
		publicId = owner.tusUpload(Media.real(CLIP), "Tide pools " + suffix, "PUBLIC", 1 << 20).videoId();
		unlistedId = owner.tusUpload(Media.real(CLIP), "Unlisted tide " + suffix, "UNLISTED", 1 << 20).videoId();
		privateId = owner.tusUpload(Media.real("h264_videoonly_noaudio.mp4"), "Private tide " + suffix, "PRIVATE", 1 << 20).videoId();

		blog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		blog.createContext("/", exchange -> {
			String html = blogPages.get(exchange.getRequestURI().getPath());
			byte[] body = (html == null ? "no such page" : html).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		blog.start();

		PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
		for (String id : List.of(publicId, unlistedId)) {
			assertThat(owner.awaitFinal(id, Duration.ofMinutes(3)).path("status").asString()).as(id).isEqualTo("READY");
		}
	}

	@AfterAll
	void tearDown() {
		if (blog != null) {
			blog.stop(0);
		}
	}

	private String site() {
		return "http://127.0.0.1:" + port;
	}

	/** The blog's address for one of its pages: localhost, not 127.0.0.1, so another site too. */
	private String blogPage(String path, String iframe) {
		blogPages.put(path, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A blog</title></head>"
				+ "<body><h1>My trip</h1><p>Look at this:</p>" + iframe + "</body></html>");
		return "http://localhost:" + blog.getAddress().getPort() + path;
	}

	/** The iframe oEmbed gives for a watch link of this site. */
	private String oembedHtml(String watchUrl) throws Exception {
		var answer = anonymous().get("/api/oembed?url=" + URLEncoder.encode(watchUrl, StandardCharsets.UTF_8) + "&format=json");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return ApiClient.json(answer).path("html").asString();
	}

	/** Opens the blog page and returns the embed's frame, once its player is there. */
	private Frame openEmbed(Page page, String url, String id) {
		page.navigate(url);
		Frame frame = page.locator("iframe").elementHandle().contentFrame();
		assertThat(frame).isNotNull();
		frame.waitForLoadState();
		assertThat(page.url()).startsWith("http://localhost:");
		assertThat(frame.url()).as("the frame is the application's embed page").startsWith(site() + "/embed/" + id);
		return frame;
	}

	private static void clickPlay(Frame frame) {
		frame.locator("#big-play").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
		frame.locator("#big-play").click();
	}

	private static double currentTime(Frame frame) {
		return ((Number) frame.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
	}

	/** Playing for real: time moves on, frames have a size, no media error. */
	private static void assertPlays(Frame frame) {
		frame.waitForFunction("() => { const v = document.getElementById('video'); "
				+ "return !v.paused && v.currentTime > 0.3 && v.videoWidth > 0 && v.videoHeight > 0; }");
		double at = currentTime(frame);
		frame.waitForFunction("t => document.getElementById('video').currentTime > t + 0.5", at);
		assertThat(frame.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
		assertThat(((Number) frame.evaluate("() => document.getElementById('video').videoWidth")).intValue()).isEqualTo(720);
	}

	@Test
	void aPublicVideoPlaysInsideAnIframeOfAnotherSite() throws Exception {
		String iframe = oembedHtml(site() + "/watch/" + publicId);
		BrowserContext context = newContext();
		Page page = context.newPage();
		Frame frame = openEmbed(page, blogPage("/public", iframe), publicId);
		// The size oEmbed chose: 720x1280 fitted into 640x360.
		var box = page.locator("iframe").boundingBox();
		assertThat(Math.round(box.width)).isEqualTo(202);
		assertThat(Math.round(box.height)).isEqualTo(360);
		// Only the player: no header, no title, no footer; a link to the watch page in a new tab.
		assertThat(frame.locator("#site-header").isVisible()).isFalse();
		assertThat(frame.locator(".video-info").isVisible()).isFalse();
		Locator watchLink = frame.locator("#embed-watch-link");
		expect(watchLink).isVisible();
		expect(watchLink).hasText("Watch on VideoForge");
		expect(watchLink).hasAttribute("href", "/watch/" + publicId);
		expect(watchLink).hasAttribute("target", "_blank");
		expect(watchLink).hasAttribute("rel", "noopener");
		// It does not start by itself (no ?autoplay=1): the visitor starts it.
		assertThat(frame.evaluate("() => document.getElementById('video').paused")).isEqualTo(true);
		clickPlay(frame);
		assertPlays(frame);
		shoot(page, "embed-on-another-site");
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors and policy violations").isEmpty();
	}

	@Test
	void theStartTimeOfTheLinkStartsPlaybackThereAndAutoplayStartsItMuted() throws Exception {
		String iframe = oembedHtml(site() + "/watch/" + publicId + "?t=2");
		assertThat(iframe).contains("/embed/" + publicId + "?t=2\"");
		BrowserContext context = newContext();
		Page page = context.newPage();
		Frame frame = openEmbed(page, blogPage("/later", iframe), publicId);
		clickPlay(frame);
		assertPlays(frame);
		// What was played began at 2 s, not before.
		double firstPlayed = ((Number) frame.evaluate("() => document.getElementById('video').played.start(0)")).doubleValue();
		assertThat(firstPlayed).isGreaterThanOrEqualTo(1.95);
		assertThat(currentTime(frame)).isGreaterThan(2.0);

		// ?autoplay=1 (and the 1m-style time): it starts by itself, muted, as browsers allow.
		Frame auto = openEmbed(page, blogPage("/auto", "<iframe src=\"" + site() + "/embed/" + publicId
				+ "?autoplay=1&t=0m1s\" width=\"320\" height=\"180\" allow=\"autoplay; fullscreen\"></iframe>"), publicId);
		auto.waitForFunction("() => { const v = document.getElementById('video'); return !v.paused && v.muted && v.currentTime > 1.3; }");
		assertThat(((Number) auto.evaluate("() => document.getElementById('video').played.start(0)")).doubleValue())
				.isGreaterThanOrEqualTo(0.95);
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors and policy violations").isEmpty();
	}

	@Test
	void anUnlistedVideoPlaysFromSignedLinksAndAPrivateOneIsNotAvailable() throws Exception {
		BrowserContext context = newContext();
		Page page = context.newPage();
		List<String> streams = new CopyOnWriteArrayList<>();
		page.onRequest(request -> {
			if (request.url().contains("/api/stream/")) {
				streams.add(request.url());
			}
		});
		Frame frame = openEmbed(page, blogPage("/unlisted", oembedHtml(site() + "/watch/" + unlistedId)), unlistedId);
		clickPlay(frame);
		assertPlays(frame);
		assertThat(streams.stream().filter(u -> u.contains(".m4s"))).as("segments of the UNLISTED video, signed")
				.isNotEmpty().allMatch(u -> u.contains("/" + unlistedId + "/") && u.contains("sig="));

		streams.clear();
		Frame hidden = openEmbed(page, blogPage("/private", "<iframe src=\"" + site() + "/embed/" + privateId
				+ "\" width=\"320\" height=\"180\"></iframe>"), privateId);
		expect(hidden.locator("#video-not-found")).containsText("This video is not available");
		assertThat(hidden.locator("body").textContent()).doesNotContain("Private tide");
		assertThat(streams).as("nothing of the PRIVATE video is asked for").isEmpty();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors and policy violations").isEmpty();
	}

	@Test
	void theShareDialogOffersTheLinkAndTheEmbedCodeWithTheStartTime() throws Exception {
		BrowserContext context = newContext();
		Page page = context.newPage();
		page.navigate(site() + "/watch/" + publicId);
		Frame main = page.mainFrame();
		main.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
				+ "|| !document.getElementById('big-play').hidden");
		if (page.locator("#big-play").isVisible()) {
			page.locator("#big-play").click();
		}
		main.waitForFunction("() => document.getElementById('video').currentTime > 1.6");
		page.evaluate("() => document.getElementById('video').pause()");
		long at = Math.round(currentTime(main));
		assertThat(at).isGreaterThanOrEqualTo(2);

		page.locator("#share").click();
		expect(page.locator("#share-dialog")).isVisible();
		String watch = site() + "/watch/" + publicId;
		expect(page.locator("#share-link")).hasValue(watch);
		expect(page.locator("#share-code")).hasValue(oembedHtml(watch));
		expect(page.locator("#share-start-time")).hasValue(String.format(Locale.ROOT, "%d:%02d", at / 60, at % 60));
		shoot(page, "share-dialog");

		// "Start at" ticked: the time playback was at, in the link and in the embed code.
		page.locator("#share-start").check();
		expect(page.locator("#share-link")).hasValue(watch + "?t=" + at);
		expect(page.locator("#share-code")).hasValue(oembedHtml(watch + "?t=" + at));
		assertThat(page.locator("#share-code").inputValue()).contains("/embed/" + publicId + "?t=" + at + "\"");
		page.locator("#share-start-time").fill("0:03");
		expect(page.locator("#share-link")).hasValue(watch + "?t=3");
		expect(page.locator("#share-code")).hasValue(oembedHtml(watch + "?t=3"));
		page.locator("#share-start").uncheck();
		expect(page.locator("#share-link")).hasValue(watch);
		expect(page.locator("#share-code")).hasValue(oembedHtml(watch));
		page.locator("#share-close").click();
		expect(page.locator("#share-dialog")).isHidden();

		// The shared link with ?t= starts the watch page there too.
		page.navigate(watch + "?t=3");
		main.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
				+ "|| !document.getElementById('big-play').hidden");
		if (page.locator("#big-play").isVisible()) {
			page.locator("#big-play").click();
		}
		main.waitForFunction("() => { const v = document.getElementById('video'); return !v.paused && v.currentTime > 3.2; }");
		assertThat(((Number) page.evaluate("() => document.getElementById('video').played.start(0)")).doubleValue())
				.isGreaterThanOrEqualTo(2.95);

		// A PRIVATE video, seen by its owner: the link only, and who can open it.
		page.evaluate("token => localStorage.setItem('vf.accessToken', token)", owner.token());
		page.navigate(site() + "/watch/" + privateId);
		expect(page.locator("#video-title")).containsText("Private tide");
		page.locator("#share").click();
		expect(page.locator("#share-link")).hasValue(site() + "/watch/" + privateId);
		expect(page.locator("#share-private")).isVisible();
		expect(page.locator("#share-private")).containsText("only you");
		expect(page.locator("#share-embed")).isHidden();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors and policy violations").isEmpty();
	}

	/** target/screenshots/{name}.png, to look at. */
	private static void shoot(Page page, String name) {
		page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name + ".png")));
	}

	private BrowserContext newContext() {
		return CHROMIUM.newContext();
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}
}
