package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Signed playback: valid, expired, forged, another video's and rotated-key signatures, playlists
 * that hand the signature on, a CDN base URL, and CloudFront signatures made with a key pair of
 * the test's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.streaming.signing.active-key-id=k2",
				"videoforge.streaming.signing.keys.k1=an-old-key-still-valid-for-links-in-flight",
				"videoforge.streaming.signing.keys.k2=the-current-key-that-signs-new-links-000",
				"videoforge.streaming.signing.cdn-base-url=https://cdn.example.test/",
				"videoforge.streaming.signing.cloudfront-key-pair-id=K2TESTKEYPAIR" })
class SignedPlaybackIntegrationTests {

	static final String CDN = "https://cdn.example.test";
	static final KeyPair CLOUDFRONT;
	static final Path PEM;

	static {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			CLOUDFRONT = generator.generateKeyPair();
			PEM = Files.createTempFile("cloudfront-", ".pem");
			Files.writeString(PEM, "-----BEGIN PRIVATE KEY-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(CLOUDFRONT.getPrivate().getEncoded())
					+ "\n-----END PRIVATE KEY-----\n");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path data = Files.createTempDirectory("videoforge-signed-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("videoforge.streaming.signing.cloudfront-private-key", PEM::toString);
	}

	@Value("${local.server.port}")
	int port;

	ApiClient owner;
	ApiClient stranger;
	String privateId;
	String unlistedId;
	String revokedId;

	/** What a CDN would do: pass the request to the origin, query string included. */
	String origin(String url) {
		assertThat(url).startsWith(CDN + "/api/stream/");
		return url.substring(CDN.length());
	}

	@BeforeAll
	void upload() throws Exception {
		ApiClient anonymous = new ApiClient("http://127.0.0.1:" + port);
		owner = anonymous.signUp("owner", "correct horse battery");
		stranger = anonymous.signUp("stranger", "correct horse battery");
		privateId = owner.tusUpload(Media.real("h264_videoonly_noaudio.mp4"), "secret", "PRIVATE", 1 << 20).videoId();
		unlistedId = owner.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "link only", "UNLISTED", 1 << 20).videoId();
		revokedId = owner.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "shared, then taken back", "UNLISTED", 1 << 20).videoId();
		assertThat(owner.awaitFinal(privateId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(owner.awaitFinal(unlistedId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(owner.awaitFinal(revokedId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
	}

	private String query(String videoId, long exp, String kid, String key) {
		return "exp=" + exp + "&kid=" + kid + "&sig=" + UrlSigner.signature(key.getBytes(StandardCharsets.UTF_8), videoId, 0, exp);
	}

	@Test
	void theOwnerGetsSignedUrlsThatPlayForAnyoneWhoHasThem() throws Exception {
		JsonNode qualities = ApiClient.json(owner.get("/api/stream/" + privateId + "/qualities"));
		String master = qualities.path("masterUrl").asString();
		assertThat(master).startsWith(CDN + "/api/stream/" + privateId + "/master.m3u8?exp=").contains("&kid=k2&sig=",
				"&Policy=", "&Signature=", "&Key-Pair-Id=K2TESTKEYPAIR");
		assertThat(stranger.get("/api/stream/" + privateId + "/qualities").statusCode()).as("not theirs").isEqualTo(404);

		ApiClient nobody = new ApiClient("http://127.0.0.1:" + port);
		var playlist = nobody.get(origin(master));
		assertThat(playlist.statusCode()).isEqualTo(200);
		assertThat(playlist.headers().firstValue("Cache-Control").orElseThrow()).startsWith("private");
		// Every variant in the master carries the signature on: one per quality of the video.
		List<String> variants = playlist.body().lines().filter(l -> l.endsWith(".m3u8") || l.contains(".m3u8?")).toList();
		assertThat(qualities.path("qualities").size()).as("qualities of the 720p source").isEqualTo(4);
		assertThat(variants).as("variants in %s", playlist.body()).hasSize(qualities.path("qualities").size());
		variants.forEach(l -> assertThat(l).contains("sig=", "Signature="));
		// ffmpeg, with no token at all, plays every segment of every quality through the signed playlists.
		Renditions.Decoded source = Renditions.decode(Media.real("h264_videoonly_noaudio.mp4").toString());
		for (JsonNode quality : qualities.path("qualities")) {
			Renditions.assertRendition(nobody.base() + origin(quality.path("url").asString()), source, true);
		}

		String thumbnail = ApiClient.json(owner.get("/api/gallery/videos/" + privateId)).path("thumbnailUrl").asString();
		assertThat(nobody.getBytes(origin(thumbnail)).statusCode()).isEqualTo(200);
		String vtt = nobody.get("/api/stream/" + privateId + "/storyboard.vtt?" + query(privateId,
				Instant.now().getEpochSecond() + 60, "k2", "the-current-key-that-signs-new-links-000")).body();
		assertThat(vtt).contains("storyboard.jpg?exp=").containsPattern("sig=[^#]+#xywh=");
	}

	@Test
	void missingForgedExpiredAndForeignSignaturesAreRefused() throws Exception {
		ApiClient nobody = new ApiClient("http://127.0.0.1:" + port);
		String file = "/api/stream/" + unlistedId + "/master.m3u8";
		long later = Instant.now().getEpochSecond() + 600;
		String good = query(unlistedId, later, "k2", "the-current-key-that-signs-new-links-000");
		var played = nobody.get(file + "?" + good);
		assertThat(played.statusCode()).isEqualTo(200);
		assertThat(played.headers().firstValue("Cache-Control").orElseThrow()).as("no shared cache keeps a signed file")
				.startsWith("private");

		assertThat(nobody.get(file).statusCode()).as("missing").isEqualTo(403);
		char last = good.charAt(good.length() - 1);
		String forged = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');
		assertThat(nobody.get(file + "?" + forged).statusCode()).as("forged").isEqualTo(403);
		assertThat(nobody.get(file + "?" + good.replace("exp=" + later, "exp=" + (later + 1))).statusCode())
				.as("expiry changed").isEqualTo(403);
		var expired = nobody.get(file + "?" + query(unlistedId, Instant.now().getEpochSecond() - 1, "k2",
				"the-current-key-that-signs-new-links-000"));
		assertThat(expired.statusCode()).as("expired").isEqualTo(403);
		assertThat(ApiClient.json(expired).path("message").asString()).contains("expired");
		assertThat(nobody.get(file + "?" + query(privateId, later, "k2", "the-current-key-that-signs-new-links-000"))
				.statusCode()).as("another video's signature").isEqualTo(403);
		assertThat(nobody.get(file + "?" + query(unlistedId, later, "k9", "the-current-key-that-signs-new-links-000"))
				.statusCode()).as("unknown key").isEqualTo(403);
		// Private: without a signature it does not exist for strangers.
		assertThat(nobody.get("/api/stream/" + privateId + "/master.m3u8").statusCode()).isEqualTo(404);
	}

	/**
	 * Someone was sent the links of an UNLISTED video; the owner makes it PRIVATE: every link they
	 * hold (playlists, segments, thumbnail) stops working, and stays void when the video is made
	 * UNLISTED again. Deleting voids the links handed out after that too.
	 */
	@Test
	void makingAVideoPrivateOrDeletingItVoidsEveryLinkSignedBefore() throws Exception {
		ApiClient holder = new ApiClient("http://127.0.0.1:" + port);
		JsonNode qualities = ApiClient.json(holder.get("/api/stream/" + revokedId + "/qualities"));
		String master = origin(qualities.path("masterUrl").asString());
		String rendition = origin(qualities.path("qualities").get(0).path("url").asString());
		String segment = holder.get(rendition).body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst()
				.orElseThrow();
		String segmentUrl = rendition.substring(0, rendition.lastIndexOf('/') + 1) + segment;
		String thumbnail = origin(ApiClient.json(holder.get("/api/gallery/videos/" + revokedId)).path("thumbnailUrl").asString());
		for (String url : new String[] { master, rendition, segmentUrl, thumbnail }) {
			var before = holder.getBytes(url);
			assertThat(before.statusCode()).as(url).isEqualTo(200);
			assertThat(before.headers().firstValue("Cache-Control").orElseThrow()).as(url).startsWith("private");
		}

		assertThat(owner.send("PATCH", "/api/gallery/videos/" + revokedId, java.util.Map.of("visibility", "PRIVATE"))
				.statusCode()).isEqualTo(200);
		for (String url : new String[] { master, rendition, segmentUrl, thumbnail }) {
			assertThat(holder.getBytes(url).statusCode()).as("after PRIVATE: " + url).isEqualTo(404);
		}
		// The owner still plays it, with links signed now.
		String fresh = origin(ApiClient.json(owner.get("/api/stream/" + revokedId + "/qualities")).path("masterUrl").asString());
		assertThat(holder.get(fresh).statusCode()).isEqualTo(200);

		assertThat(owner.send("PATCH", "/api/gallery/videos/" + revokedId, java.util.Map.of("visibility", "UNLISTED"))
				.statusCode()).isEqualTo(200);
		var stale = holder.get(master);
		assertThat(stale.statusCode()).as("a revoked link stays void").isEqualTo(403);
		assertThat(ApiClient.json(stale).path("error").asString()).isEqualTo("invalid_signature");
		String again = origin(ApiClient.json(holder.get("/api/stream/" + revokedId + "/qualities")).path("masterUrl").asString());
		assertThat(holder.get(again).statusCode()).isEqualTo(200);

		assertThat(owner.send("DELETE", "/api/gallery/videos/" + revokedId, null).statusCode()).isEqualTo(204);
		assertThat(holder.get(again).statusCode()).as("after delete").isEqualTo(404);
		assertThat(holder.getBytes(segmentUrl).statusCode()).as("after delete").isEqualTo(404);
	}

	@Test
	void linksSignedWithTheRotatedOutKeyStillWork() throws Exception {
		ApiClient nobody = new ApiClient("http://127.0.0.1:" + port);
		long later = Instant.now().getEpochSecond() + 600;
		String old = query(unlistedId, later, "k1", "an-old-key-still-valid-for-links-in-flight");
		assertThat(nobody.get("/api/stream/" + unlistedId + "/master.m3u8?" + old).statusCode()).isEqualTo(200);
		// New links are signed with the active key.
		String master = ApiClient.json(nobody.get("/api/stream/" + unlistedId + "/qualities")).path("masterUrl").asString();
		assertThat(master).contains("&kid=k2&");
	}

	@Test
	void theCloudFrontSignatureIsMadeWithTheConfiguredKeyPairOverAPolicyForTheVideo() throws Exception {
		String master = ApiClient.json(owner.get("/api/stream/" + privateId + "/qualities")).path("masterUrl").asString();
		String policy = param(master, "Policy");
		String signature = param(master, "Signature");
		String json = new String(cloudFrontDecode(policy), StandardCharsets.UTF_8);
		assertThat(json).contains("\"Resource\":\"" + CDN + "/api/stream/" + privateId + "/*\"", "DateLessThan");
		Signature verifier = Signature.getInstance("SHA1withRSA");
		verifier.initVerify(CLOUDFRONT.getPublic());
		verifier.update(json.getBytes(StandardCharsets.UTF_8));
		assertThat(verifier.verify(cloudFrontDecode(signature))).isTrue();
	}

	private static String param(String url, String name) {
		for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
			if (pair.startsWith(name + "=")) {
				return pair.substring(name.length() + 1);
			}
		}
		throw new AssertionError(name + " missing in " + url);
	}

	/** CloudFront's URL-safe Base64: '-' for '+', '_' for '=', '~' for '/'. */
	private static byte[] cloudFrontDecode(String value) {
		return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
	}
}
