package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
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
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The web pages as a person uses them, in a real browser (Debian's chromium driven by
 * Playwright): sign up, two-factor set-up, log in with a code, a resumable upload, live
 * processing status, playback with a quality switch, a PRIVATE video hidden from others, and
 * the admin page. Screenshots of every page at desktop and phone widths go to target/screenshots.
 */
@RequiresChromium
class WebPagesIntegrationTests extends AppIntegrationTest {

	private static final Path SHOTS = Paths.get("target", "screenshots");
	private static final String PASSWORD = "correct horse battery";
	/** 4.2 s of AV1 10-bit HDR, 720x1280 portrait, 524 KB: four renditions (720p to 240p) in seconds. */
	private static final String CLIP = "av1_10bit_hdr10_portrait_720x1280.mp4";

	@RegisterExtension
	static final Chromium CHROMIUM = new Chromium();

	@Autowired
	ApplicationContext application;

	/** The application's transcode processor (its lifecycle: stopped, it takes no jobs; started, it does again). */
	private SmartLifecycle processor() {
		var processors = application.getBeansOfType(SmartLifecycle.class).values().stream()
				.filter(bean -> bean.getClass().getSimpleName().equals("JobRuntime") && ((dev.videoforge.queue.JobRuntime) bean).queue().equals("transcode")).toList();
		assertThat(processors).as("the transcode processor").hasSize(1);
		return processors.get(0);
	}

	/** A test that failed while the processor was stopped does not leave it stopped for the next. */
	@AfterEach
	void processorRunsAgain() {
		processor().start();
	}

	@BeforeAll
	static void screenshotsFolderAndAssertionTimeout() throws Exception {
		Files.createDirectories(SHOTS);
		PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
	}

	@Test
	void aPersonSignsUpTurnsOnMfaUploadsWatchesAndKeepsAPrivateVideoPrivate() throws Exception {
		String name = "web" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		String title = "Rooftops " + name;
		BrowserContext context = newContext();
		Page page = context.newPage();
		List<String> streamRequests = new CopyOnWriteArrayList<>();
		page.onRequest(request -> {
			if (request.url().contains("/api/stream/")) {
				streamRequests.add(request.url());
			}
		});

		// Sign up: the account page welcomes the new account.
		open(page, "/signup", "#site-header .bar");
		shoot(page, "signup");
		page.getByLabel("Username").fill(name);
		page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(PASSWORD);
		page.getByLabel("Repeat the password").fill(PASSWORD);
		page.locator("#signup-submit").click();
		page.waitForURL("**/account?welcome=1");
		expect(page.locator("#welcome")).containsText(name);
		expect(page.locator("#mfa-status")).hasText("Off");

		// Two-factor set-up: QR code and key on the page, a code from the key, ten recovery codes shown once.
		// Setting it up asks for the password again (a stolen session alone cannot bind another phone).
		page.getByLabel("Your password").fill(PASSWORD);
		page.locator("#mfa-setup-start").click();
		expect(page.locator("#mfa-qr")).isVisible();
		assertThat(page.locator("#mfa-qr").getAttribute("src")).startsWith("data:image/png;base64,");
		assertThat((Boolean) page.evaluate("() => document.getElementById('mfa-qr').complete "
				+ "&& document.getElementById('mfa-qr').naturalWidth > 100")).as("the QR code is a picture").isTrue();
		String secret = page.locator("#mfa-secret").textContent().replace(" ", "");
		assertThat(secret).matches("[A-Z2-7]{32}");
		String passwordOnlySession = (String) page.evaluate("() => localStorage.getItem('vf.refreshToken')");
		page.getByLabel("6-digit code").fill(totp(secret, Instant.now().getEpochSecond()));
		page.locator("#mfa-enable-submit").click();
		Locator codes = page.locator("#recovery-codes li");
		expect(codes).hasCount(10);
		for (String code : codes.allTextContents()) {
			assertThat(code).matches("[a-z0-9]{5}-[a-z0-9]{5}");
		}
		// Turning MFA on ended the password-only session; the page keeps the new one it was given,
		// so this browser stays signed in once its access token expires (a refresh works).
		assertThat((String) page.evaluate("() => localStorage.getItem('vf.refreshToken')")).isNotBlank()
				.isNotEqualTo(passwordOnlySession);
		assertThat((Boolean) page.evaluate("async () => Boolean(await (await import('/app.js')).accessToken({ force: true }))"))
				.as("a refresh after enabling MFA").isTrue();
		expect(page.locator("#site-nav")).containsText("Account (" + name + ")");
		expect(page.locator("#mfa-status")).hasText("On");
		shoot(page, "account");
		page.locator("#recovery-done").click();
		expect(page.locator("#recovery-codes li")).hasCount(0);
		expect(page.locator("#mfa-on")).isVisible();

		// Log out, then in again: the password alone is not enough, the next code is.
		page.locator("#logout").click();
		page.waitForURL(Pattern.compile(".*/$"));
		expect(page.locator("#site-nav a[href='/login']")).isVisible();
		open(page, "/login", "#site-header .bar");
		shoot(page, "login");
		page.getByLabel("Username").fill(name);
		page.getByLabel("Password").fill(PASSWORD);
		page.locator("#login-submit").click();
		expect(page.locator("#mfa-step")).isVisible();
		expect(page.locator("#login-step")).isHidden();
		// The code of the next 30 s step: the one used to turn MFA on may not be used again.
		page.getByLabel("Authentication code").fill(totp(secret, Instant.now().getEpochSecond() + 30));
		page.locator("#mfa-submit").click();
		page.waitForURL(Pattern.compile(".*/$"));
		expect(page.locator("#site-nav")).containsText("Account (" + name + ")");

		// Upload a real clip over a slow link: the bar moves, pauses, and resumes after a reload.
		open(page, "/upload", "#site-header .bar");
		shoot(page, "upload");
		CDPSession cdp = context.newCDPSession(page);
		cdp.send("Network.enable");
		throttleUpload(cdp, 120_000);
		Path clip = Media.real(CLIP);
		page.locator("#file-input").setInputFiles(clip);
		expect(page.locator("#title")).hasValue(CLIP.replace(".mp4", ""));
		page.getByLabel("Title").fill(title);
		page.getByLabel("Description").fill("Seen from the roof.\nShot in portrait.");
		page.locator("#vis-private").check();
		page.locator("#start-upload").click();
		List<Double> seen = new ArrayList<>();
		double value = 0;
		long deadline = System.currentTimeMillis() + 30_000;
		while (value < 30 && System.currentTimeMillis() < deadline) {
			value = ((Number) page.evaluate("() => document.getElementById('upload-progress').value")).doubleValue();
			seen.add(value);
			page.waitForTimeout(100);
		}
		assertThat(seen).as("progress values seen").anyMatch(v -> v > 0 && v < 100);
		expect(page.locator("#upload-speed")).containsText("/s");
		page.locator("#pause-upload").click();
		expect(page.locator("#upload-state")).containsText("Paused");
		double paused = ((Number) page.evaluate("() => document.getElementById('upload-progress').value")).doubleValue();
		page.waitForTimeout(700);
		assertThat(((Number) page.evaluate("() => document.getElementById('upload-progress').value")).doubleValue())
				.as("a paused upload stands still").isEqualTo(paused);
		assertThat(paused).isLessThan(100);

		page.reload();
		expect(page.locator("#unfinished .unfinished-item")).hasCount(1);
		page.locator("#file-input").setInputFiles(clip);
		expect(page.locator("#progress-card")).isVisible();
		expect(page.locator("#progress-name")).containsText(title);
		// The processor stops taking jobs until My videos is open, so that the page has to follow
		// the video from QUEUED to READY itself, however fast this machine transcodes.
		SmartLifecycle processor = processor();
		processor.stop();
		throttleUpload(cdp, -1);
		expect(page.locator("#upload-done")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
		expect(page.locator("#done-text")).containsText(title);

		// My videos: one video (the upload resumed, it did not start over), READY live without a reload.
		page.locator("#site-nav a[href='/my']").click();
		Locator row = page.locator("#my-videos article.my-video");
		expect(row).hasCount(1);
		String firstStatus = row.getAttribute("data-status");
		String id = row.getAttribute("data-video-id");
		page.evaluate("() => { window.__sameDocument = true; }");
		processor.start();
		assertThat(firstStatus).as("status when My videos opened").isEqualTo("QUEUED");
		expect(row).hasAttribute("data-status", "READY", new LocatorAssertions.HasAttributeOptions().setTimeout(120_000));
		assertThat((Boolean) page.evaluate("() => window.__sameDocument === true")).as("no reload").isTrue();
		expect(row.locator(".badge.status")).hasText("Ready");
		expect(row.locator(".badge.PRIVATE")).isVisible();
		expect(row.locator(".thumb img")).isVisible();
		shoot(page, "mine");

		// The gallery lists it for its owner, and search finds it.
		open(page, "/", "#video-grid[aria-busy=false]");
		page.getByLabel("Search by title").fill(name);
		expect(page.locator(".video-card")).hasCount(1);
		expect(page.locator(".video-card[data-video-id='" + id + "']")).containsText(title);
		open(page, "/", "#video-grid .video-card");
		shoot(page, "gallery");

		// Watch: the player plays the signed HLS stream, the quality menu switches hls.js' level.
		page.locator(".video-card[data-video-id='" + id + "']").click();
		page.waitForURL("**/watch/" + id);
		expect(page.locator("#video-title")).hasText(title);
		expect(page.locator("#video-owner")).hasText(name);
		expect(page.locator("#video-description")).containsText("Seen from the roof.");
		expect(page.locator("#quality option")).hasCount(5);
		page.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
				+ "|| !document.getElementById('big-play').hidden");
		if (page.locator("#big-play").isVisible()) {
			page.locator("#big-play").click();
		}
		page.waitForFunction("() => document.getElementById('video').currentTime > 0.5");
		assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
		page.locator("#quality").selectOption(new SelectOption().setLabel("240p"));
		expect(page.locator("#player")).hasAttribute("data-level-name", "240p");
		assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error after the switch").isNull();
		assertThat(streamRequests).as("240p segments fetched").anyMatch(u -> u.contains("/" + id + "/240p/seg_"));
		assertThat(streamRequests.stream().filter(u -> u.contains(".m4s")))
				.as("a PRIVATE video's segments are fetched with signed URLs").isNotEmpty().allMatch(u -> u.contains("sig="));
		// Back to the start with the keyboard on the seek bar; it plays on in 240p.
		page.locator("#seek").focus();
		page.keyboard().press("Home");
		if ((Boolean) page.evaluate("() => document.getElementById('video').paused")) {
			page.locator("#play-toggle").click();
		}
		page.waitForFunction("() => { const v = document.getElementById('video'); return v.currentTime > 0.5 && v.videoHeight === 426; }");
		assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error after seeking").isNull();
		expect(page.locator("#player")).hasAttribute("data-storyboard", Pattern.compile("[1-9]\\d*"));
		page.locator("#seek").hover();
		expect(page.locator("#preview")).isVisible();
		assertThat((String) page.evaluate("() => document.querySelector('#preview .frame').style.backgroundImage"))
				.contains("storyboard.jpg");
		shoot(page, "watch");

		// Someone else: the PRIVATE video is in neither their gallery nor at its address.
		BrowserContext other = newContext();
		Page stranger = other.newPage();
		List<String> strangerStreams = new CopyOnWriteArrayList<>();
		stranger.onRequest(request -> {
			if (request.url().contains("/api/stream/" + id)) {
				strangerStreams.add(request.url());
			}
		});
		open(stranger, "/signup", "#site-header .bar");
		stranger.getByLabel("Username").fill("other" + name);
		stranger.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(PASSWORD);
		stranger.getByLabel("Repeat the password").fill(PASSWORD);
		stranger.locator("#signup-submit").click();
		stranger.waitForURL("**/account?welcome=1");
		open(stranger, "/", "#video-grid[aria-busy=false]");
		stranger.getByLabel("Search by title").fill(name);
		expect(stranger.locator("#empty-state")).containsText("No videos match");
		expect(stranger.locator(".video-card")).hasCount(0);
		open(stranger, "/watch/" + id, "#video-not-found");
		expect(stranger.locator("#watch")).isHidden();
		assertThat(strangerStreams).as("no stream requests for someone else's PRIVATE video").isEmpty();
		other.close();

		// The admin page: figures, the backlog chart, a dead letter and its retry button.
		adminPage();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors").isEmpty();
	}

	@Test
	void myVideosPagesThroughTheAccountsOwnAndFollowsAnUnfinishedUploadLive() throws Exception {
		String name = "pager" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		var account = anonymous().signUp(name, PASSWORD);
		// Someone else's public video is not among them.
		anonymous().signUp("not" + name, PASSWORD).multipart(Media.real("mp4_minimal_62ms.mp4"), "Not mine " + name, "PUBLIC");
		// 51 uploads that were started and never sent (one more than the page shows), the newest a real clip.
		for (int i = 0; i < 50; i++) {
			assertThat(account.tusCreate(1000, Map.of("filename", "draft.mp4", "title", "Draft " + i)).statusCode()).isEqualTo(201);
		}
		Path clip = Media.real("mp4_minimal_62ms.mp4");
		var created = account.tusCreate(Files.size(clip), Map.of("filename", "clip.mp4", "title", "Finished elsewhere"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String liveId = location.substring(location.lastIndexOf('/') + 1);

		var tokens = dev.videoforge.support.ApiClient.json(anonymous().send("POST", "/api/auth/login",
				Map.of("username", name, "password", PASSWORD)));
		BrowserContext context = newContext();
		Chromium.signIn(context, tokens);
		Page page = context.newPage();
		open(page, "/my", "#my-videos[aria-busy=false]");
		Locator rows = page.locator("#my-videos article.my-video");
		expect(rows).hasCount(50);
		expect(page.locator("#my-count")).hasText("51 videos");
		expect(page.locator("#my-more")).isVisible();
		Locator live = page.locator("#video-" + liveId);
		expect(live).hasAttribute("data-status", "UPLOADING");

		// The upload is finished from somewhere else: the row follows it without a reload.
		page.evaluate("() => { window.__sameDocument = true; }");
		assertThat(account.tusPatch(location, 0, Files.readAllBytes(clip), null).statusCode()).isEqualTo(204);
		expect(live).hasAttribute("data-status", "READY", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
		assertThat((Boolean) page.evaluate("() => window.__sameDocument === true")).as("no reload").isTrue();

		page.locator("#my-more").click();
		expect(rows).hasCount(51);
		expect(page.locator("#my-more")).isHidden();
		expect(page.locator("#my-videos")).not().containsText("Not mine " + name);
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors").isEmpty();
	}

	@Test
	void aStaleSessionSeesTheGalleryAnonymouslyAndSignedOut() throws Exception {
		// A session that ended while the browser was away: an access token the server refuses (not
		// expired by its clock, but not signed by this server) and a refresh token it does not know.
		String header = base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
		String claims = base64Url("{\"sub\":\"ghost\",\"username\":\"ghost\",\"roles\":[\"USER\"],\"exp\":"
				+ (Instant.now().getEpochSecond() + 3600) + "}");
		String stale = header + "." + claims + "." + base64Url("forged");
		BrowserContext context = newContext();
		context.addInitScript("if (location.protocol === 'http:' && !sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); "
				+ "localStorage.setItem('vf.accessToken', '" + stale + "'); localStorage.setItem('vf.refreshToken', 'ended'); }");
		Page page = context.newPage();
		List<String> calls = new CopyOnWriteArrayList<>();
		page.onResponse(response -> {
			String url = response.url();
			if (url.contains("/api/gallery/videos") || url.contains("/api/auth/refresh")) {
				calls.add(url.replaceAll("^https?://[^/]+", "").replaceAll("\\?.*", "") + " "
						+ (response.request().headers().containsKey("authorization") ? "bearer" : "anonymous") + " "
						+ response.status());
			}
		});
		open(page, "/", "#video-grid[aria-busy=false]");
		page.waitForCondition(() -> calls.size() >= 3);
		// The refused token, a refresh that fails, then the same listing without a token.
		assertThat(calls).containsSubsequence("/api/gallery/videos bearer 401", "/api/auth/refresh anonymous 401",
				"/api/gallery/videos anonymous 200");
		expect(page.locator("#gallery-error")).isHidden();
		expect(page.locator("#site-nav a[href='/login']")).isVisible();
		assertThat(page.evaluate("() => localStorage.getItem('vf.refreshToken')")).isNull();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors").isEmpty();
	}

	/**
	 * After logging in the page goes to {@code next} only when that stays on this site: {@code /\evil.example}
	 * is {@code //evil.example} to a browser. And the pages carry their Content-Security-Policy and
	 * Referrer-Policy.
	 */
	@Test
	void theLoginRedirectStaysOnThisSiteAndPagesSendTheirPolicies() throws Exception {
		var login = anonymous().get("/login");
		assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'",
				"style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'").doesNotContain("unsafe-inline");
		assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
		assertThat(anonymous().get("/watch/abc").headers().firstValue("Content-Security-Policy")).isPresent();

		String name = "next" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		anonymous().signUp(name, PASSWORD);
		String site = "http://127.0.0.1:" + port;
		BrowserContext context = newContext();
		Page page = context.newPage();
		List<String> offSite = new CopyOnWriteArrayList<>();
		page.onRequest(request -> {
			if (!request.url().startsWith(site) && !request.url().startsWith("data:") && !request.url().startsWith("blob:")) {
				offSite.add(request.url());
			}
		});
		for (String next : List.of("/\\evil.example/", "//evil.example/", "/\\/evil.example", "https://evil.example/",
				"/%5C%5Cevil.example")) {
			open(page, "/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8), "#login-submit");
			page.getByLabel("Username").fill(name);
			page.getByLabel("Password").fill(PASSWORD);
			page.locator("#login-submit").click();
			page.waitForURL(url -> !url.contains("/login"));
			assertThat(page.url()).as("after next=" + next).startsWith(site + "/");
			page.evaluate("() => localStorage.clear()");
		}
		// A page of this site is where the login goes on to.
		open(page, "/login?next=" + java.net.URLEncoder.encode("/my?from=login", java.nio.charset.StandardCharsets.UTF_8),
				"#login-submit");
		page.getByLabel("Username").fill(name);
		page.getByLabel("Password").fill(PASSWORD);
		page.locator("#login-submit").click();
		page.waitForURL(site + "/my?from=login");
		assertThat(offSite).as("requests to other sites").isEmpty();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors and policy violations").isEmpty();
	}

	@Test
	void theAccountPageRenewsRecoveryCodesAndTurnsMfaOffWithThePasswordAndACode() throws Exception {
		String name = "acct" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		var user = anonymous().signUp(name, PASSWORD);
		String secret = ApiClient.json(user.send("POST", "/api/auth/mfa/setup", Map.of("password", PASSWORD))).path("secret")
				.asString();
		var enabled = ApiClient.json(user.send("POST", "/api/auth/mfa/enable", Map.of("code", totp(secret, Instant.now().getEpochSecond()))));
		List<String> oldCodes = new ArrayList<>();
		enabled.path("recoveryCodes").forEach(c -> oldCodes.add(c.asString()));
		assertThat(oldCodes).as("recovery codes").hasSize(10);
		BrowserContext context = newContext();
		Chromium.signIn(context, enabled);
		Page page = context.newPage();
		open(page, "/account", "#site-header .bar");
		expect(page.locator("#mfa-status")).hasText("On");

		// A wrong password changes nothing and says so.
		page.getByLabel("Your current password").fill("not my password");
		page.getByLabel("Code from the app").fill(oldCodes.get(0));
		page.locator("#mfa-new-codes").click();
		expect(page.locator("#mfa-error")).isVisible();
		// New recovery codes with the password and a recovery code: ten others, shown once.
		page.getByLabel("Your current password").fill(PASSWORD);
		page.getByLabel("Code from the app").fill(oldCodes.get(0));
		page.locator("#mfa-new-codes").click();
		Locator codes = page.locator("#recovery-codes li");
		expect(codes).hasCount(10);
		assertThat(codes.allTextContents()).doesNotContainAnyElementsOf(oldCodes);
		expect(page.locator("#recovery-note")).containsText("old ones no longer work");
		page.locator("#recovery-done").click();

		// Off with the password and the next code: the page says Off and offers the set-up again.
		page.getByLabel("Your current password").fill(PASSWORD);
		page.getByLabel("Code from the app").fill(totp(secret, Instant.now().getEpochSecond() + 30));
		page.locator("#mfa-disable").click();
		expect(page.locator("#mfa-status")).hasText("Off");
		expect(page.locator("#mfa-off")).isVisible();
		var login = ApiClient.json(anonymous().send("POST", "/api/auth/login", Map.of("username", name, "password", PASSWORD)));
		assertThat(login.path("accessToken").asString()).as("the password alone logs in again").isNotBlank();
		context.close();
		assertThat(CHROMIUM.pageErrors()).as("uncaught script errors").isEmpty();
	}

	private static String base64Url(String text) {
		return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private void adminPage() throws Exception {
		// The shared application's administrator (registered with its setup token).
		var admin = admin();
		var broken = admin.multipart(Media.real("vp9_invalid_bitstream.webm"), "Broken VP9", "PUBLIC");
		assertThat(broken.statusCode()).as(broken.body()).isEqualTo(201);
		String brokenId = dev.videoforge.support.ApiClient.json(broken).path("id").asString();

		BrowserContext context = newContext();
		Page page = context.newPage();
		open(page, "/login", "#site-header .bar");
		page.getByLabel("Username").fill(ADMIN);
		page.getByLabel("Password").fill(ADMIN_PASSWORD);
		page.locator("#login-submit").click();
		page.waitForURL(Pattern.compile(".*/$"));
		page.locator("#site-nav a[href='/admin']").click();
		expect(page.locator("#fig-queued")).hasText(Pattern.compile("\\d+"));
		expect(page.locator("#fig-workers")).hasText(Pattern.compile("\\d+ / \\d+"));
		Locator dead = page.locator("#dead-table tr[data-video-id='" + brokenId + "']");
		expect(dead).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(120_000));
		// Undecodable: dead-lettered after its one attempt.
		expect(dead).containsText("1/3");
		expect(page.locator("#backlog-chart")).hasAttribute("data-points", Pattern.compile("([3-9]|\\d\\d+)"));
		shoot(page, "admin");
		dead.locator(".retry-job").click();
		try {
			expect(page.locator("#admin-notice")).containsText("back in the queue");
		}
		catch (AssertionError e) {
			throw new AssertionError("no notice after Retry; the page's error: '" + page.locator("#admin-error").textContent() + "'", e);
		}
		context.close();
	}

	private BrowserContext newContext() {
		return CHROMIUM.newContext();
	}

	private void open(Page page, String path, String ready) {
		Chromium.open(page, "http://127.0.0.1:" + port + path, ready);
	}

	/** target/screenshots/{name}-desktop.png (1280x800) and {name}-phone.png (390x844), whole page. */
	private static void shoot(Page page, String name) {
		// From the top: a sticky header would otherwise sit in the middle of a whole-page picture.
		page.evaluate("() => window.scrollTo(0, 0)");
		page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-desktop.png")).setFullPage(true));
		page.setViewportSize(390, 844);
		page.waitForTimeout(300);
		page.evaluate("() => window.scrollTo(0, 0)");
		page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-phone.png")).setFullPage(true));
		page.setViewportSize(1280, 800);
		page.waitForTimeout(100);
	}

	/** Chromium's own throttling (DevTools protocol): bytes per second up, -1 for none. */
	private static void throttleUpload(CDPSession cdp, int bytesPerSecond) {
		JsonObject conditions = new JsonObject();
		conditions.addProperty("offline", false);
		conditions.addProperty("latency", 0);
		conditions.addProperty("downloadThroughput", -1);
		conditions.addProperty("uploadThroughput", bytesPerSecond);
		cdp.send("Network.emulateNetworkConditions", conditions);
	}

	private static LocatorAssertions expect(Locator locator) {
		return PlaywrightAssertions.assertThat(locator);
	}

	/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), as an authenticator app computes it from the key. */
	static String totp(String base32Secret, long epochSeconds) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
		byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
		int offset = hash[hash.length - 1] & 0x0f;
		int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8)
				| (hash[offset + 3] & 0xff);
		return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
	}

	/** RFC 4648 Base32 (A-Z, 2-7), padding and spaces ignored. */
	static byte[] base32(String text) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int buffer = 0;
		int bits = 0;
		for (char c : text.toUpperCase(Locale.ROOT).replace("=", "").replace(" ", "").toCharArray()) {
			int v = alphabet.indexOf(c);
			if (v < 0) {
				throw new IllegalArgumentException("not Base32: " + c);
			}
			buffer = (buffer << 5) | v;
			bits += 5;
			if (bits >= 8) {
				out.write((buffer >> (bits - 8)) & 0xff);
				bits -= 8;
			}
		}
		return out.toByteArray();
	}
}
