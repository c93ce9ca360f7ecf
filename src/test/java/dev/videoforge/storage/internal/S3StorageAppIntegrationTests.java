package dev.videoforge.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.RequiresChromium;
import dev.videoforge.support.S3Bucket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline with its files in an S3-compatible store instead of on local disk, delivered
 * by redirect: an authorized segment request is answered with a presigned URL of the object, so
 * its bytes never pass through the JVM (the split test streams from S3 through the JVM). The upload
 * page sends a file's parts straight to the bucket.
 */
@RequiresChromium
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.storage.type=s3",
				"videoforge.storage.s3.bucket=videoforge-app", "videoforge.storage.s3.path-style=true",
				"videoforge.storage.s3.prefix=site/", "videoforge.streaming.delivery=redirect",
				"videoforge.streaming.redirect-ttl=2m", "videoforge.upload.direct-part-size=5MB" })
class S3StorageAppIntegrationTests {

	@RegisterExtension
	static final S3Bucket S3 = new S3Bucket("videoforge-app");

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) throws IOException {
		S3.settings(registry);
	}

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@Test
	void uploadsTranscodesStreamsAndDeletesWithFilesInS3() throws Exception {
		ApiClient alice = new ApiClient("http://127.0.0.1:" + port).signUp("alice", "correct horse battery");
		var upload = alice.tusUpload(Media.real("pixel7_h264_1080p_rot180_videoonly.mp4"), "In the bucket", "PUBLIC", 1 << 20);
		assertThat(upload.lastResponse().statusCode()).isEqualTo(204);
		var video = alice.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).isEqualTo("READY");

		try (S3Client s3 = S3.client()) {
			var keys = s3.listObjectsV2(r -> r.bucket("videoforge-app").prefix("site/")).contents().stream()
					.map(o -> o.key()).toList();
			assertThat(keys).contains("site/originals/" + upload.videoId(), "site/renditions/" + upload.videoId() + "/master.m3u8");

			// A media file: a redirect to the object in the bucket, signed for two minutes.
			var redirect = alice.getBytes("/api/stream/" + upload.videoId() + "/720p/init_1.mp4");
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.body()).isEmpty();
			String location = redirect.headers().firstValue("Location").orElseThrow();
			assertThat(location).startsWith(S3.endpoint() + "/videoforge-app/site/renditions/"
					+ upload.videoId() + "/720p/init_1.mp4?").contains("X-Amz-Signature=", "X-Amz-Expires=120");
			assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("private, max-age=60");
			// The store answers ranges itself.
			var part = HTTP.send(HttpRequest.newBuilder(URI.create(location)).header("Range", "bytes=0-7").GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(new String(part.body(), 4, 4)).isEqualTo("ftyp");
			// Once the video needs a signature, a request without a valid one is refused here and
			// given no URL of the bucket.
			assertThat(alice.send("PATCH", "/api/gallery/videos/" + upload.videoId(), java.util.Map.of("visibility", "UNLISTED"))
					.statusCode()).isEqualTo(200);
			ApiClient stranger = new ApiClient(alice.base());
			for (String query : new String[] { "", "?exp=4102444800&kid=k1&sig=AAAA" }) {
				var refused = stranger.getBytes("/api/stream/" + upload.videoId() + "/720p/init_1.mp4" + query);
				assertThat(refused.statusCode()).as(query).isEqualTo(403);
				assertThat(refused.headers().firstValue("Location")).isEmpty();
			}
			var owners = alice.getBytes("/api/stream/" + upload.videoId() + "/720p/init_1.mp4");
			assertThat(owners.statusCode()).as("the owner's own token").isEqualTo(302);
			assertThat(owners.headers().firstValue("Cache-Control")).as("a redirect that no one may keep").hasValue("no-store");
			assertThat(alice.send("PATCH", "/api/gallery/videos/" + upload.videoId(), java.util.Map.of("visibility", "PUBLIC"))
					.statusCode()).isEqualTo(200);
			// Playlists stay ours: their relative URLs must resolve against this server.
			var playlist = alice.get("/api/stream/" + upload.videoId() + "/480p/index.m3u8");
			assertThat(playlist.statusCode()).isEqualTo(200);
			assertThat(playlist.body()).startsWith("#EXTM3U");
			// The watch page plays it in chromium, hls.js following each redirect to the bucket
			// (the pages' Content-Security-Policy lets it).
			try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
					Browser browser = playwright.chromium()
							.launch(new BrowserType.LaunchOptions().setExecutablePath(RequiresChromium.CHROMIUM).setHeadless(true))) {
				Page page = browser.newPage();
				List<String> fromBucket = new CopyOnWriteArrayList<>();
				List<String> problems = new CopyOnWriteArrayList<>();
				page.onResponse(r -> {
					if (r.url().startsWith(S3.endpoint() + "/") && r.status() == 200) {
						fromBucket.add(r.url());
					}
				});
				page.onPageError(problems::add);
				page.onConsoleMessage(m -> {
					if (m.text().contains("Content Security Policy")) {
						problems.add(m.text());
					}
				});
				page.navigate(alice.base() + "/watch/" + upload.videoId());
				page.waitForFunction("() => document.getElementById('player').dataset.state === 'playing' "
						+ "|| !document.getElementById('big-play').hidden");
				if (page.locator("#big-play").isVisible()) {
					page.locator("#big-play").click();
				}
				page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
						new Page.WaitForFunctionOptions().setTimeout(30_000));
				assertThat(page.evaluate("() => document.getElementById('video').error")).as("media error").isNull();
				assertThat(fromBucket).as("segments fetched from the bucket").anyMatch(u -> u.contains(".m4s?"));
				assertThat(problems).as("page errors and CSP refusals").isEmpty();
			}
			// Decoded to its last frame, against the source, every segment through its redirect.
			Renditions.assertRendition(alice.base() + "/api/stream/" + upload.videoId() + "/480p/index.m3u8",
					Renditions.decode(Media.real("pixel7_h264_1080p_rot180_videoonly.mp4").toString()), true);

			assertThat(alice.send("DELETE", "/api/gallery/videos/" + upload.videoId(), null).statusCode()).isEqualTo(204);
			var left = s3.listObjectsV2(r -> r.bucket("videoforge-app").prefix("site/")).contents().stream()
					.map(o -> o.key()).filter(k -> k.contains(upload.videoId())).toList();
			assertThat(left).as("nothing of the video is left in the bucket").isEmpty();
		}
	}

	@Test
	void theUploadPageSendsTheFileStraightToTheBucket() throws Exception {
		ApiClient carol = new ApiClient("http://127.0.0.1:" + port).signUp("carol", "correct horse battery");
		var tokens = ApiClient.json(new ApiClient(carol.base()).send("POST", "/api/auth/login",
				Map.of("username", "carol", "password", "correct horse battery")));
		// Lossless, so that 4 s of 720p are two parts of 5 MiB.
		var clip = Files.createTempDirectory("direct-page-").resolve("two parts.mp4");
		var made = Media.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi",
				"-i", "sine=frequency=440:sample_rate=48000", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
				"-c:a", "aac", "-shortest", clip.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		assertThat(Files.size(clip)).as("more than one part").isGreaterThan(5L * 1024 * 1024);

		try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
				Browser browser = playwright.chromium()
						.launch(new BrowserType.LaunchOptions().setExecutablePath(RequiresChromium.CHROMIUM).setHeadless(true))) {
			var context = browser.newContext();
			context.addInitScript("if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); "
					+ "localStorage.setItem('vf.accessToken', '" + tokens.path("accessToken").asString() + "'); "
					+ "localStorage.setItem('vf.refreshToken', '" + tokens.path("refreshToken").asString() + "'); }");
			Page page = context.newPage();
			List<String> partsToBucket = new CopyOnWriteArrayList<>();
			List<String> throughServer = new CopyOnWriteArrayList<>();
			List<String> problems = new CopyOnWriteArrayList<>();
			page.onRequestFinished(r -> {
				if (r.method().equals("PUT") && r.url().startsWith(S3.endpoint() + "/videoforge-app/site/uploads/")) {
					partsToBucket.add(r.url());
				}
				if (r.url().contains("/api/uploads")) {
					throughServer.add(r.method() + " " + r.url());
				}
			});
			List<String> console = new CopyOnWriteArrayList<>();
			page.onPageError(problems::add);
			page.onConsoleMessage(m -> {
				console.add(m.type() + ": " + m.text());
				if (m.text().contains("Content Security Policy")) {
					problems.add(m.text());
				}
			});
			page.navigate(carol.base() + "/upload");
			page.locator("#file-input").setInputFiles(clip);
			page.locator("#title").fill("Straight from the page");
			page.locator("#upload-form button[type=submit]").click();
			try {
				page.locator("#done-status").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Ready to watch."))
						.waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(120_000));
			}
			catch (com.microsoft.playwright.TimeoutError e) {
				throw new AssertionError("not uploaded: the page says '" + page.locator("#upload-error").textContent() + "' / '"
						+ page.locator("#upload-state").textContent() + "' / '" + page.locator("#done-status").textContent()
						+ "'; parts " + partsToBucket + "; console " + console + "; errors " + problems, e);
			}
			assertThat(partsToBucket).as("parts sent to the bucket").hasSize(2);
			assertThat(throughServer).as("no tus request").isEmpty();
			assertThat(problems).as("page errors and CSP refusals").isEmpty();
			String id = page.locator("#watch-link").getAttribute("href").replace("/watch/", "");
			var video = ApiClient.json(carol.get("/api/gallery/videos/" + id));
			assertThat(video.path("status").asString()).isEqualTo("READY");
			assertThat(video.path("title").asString()).isEqualTo("Straight from the page");
			try (S3Client s3 = S3.client()) {
				byte[] original = s3.getObjectAsBytes(r -> r.bucket("videoforge-app").key("site/originals/" + id)).asByteArray();
				assertThat(original).as("the original, byte for byte").isEqualTo(Files.readAllBytes(clip));
			}
		}
	}
}
