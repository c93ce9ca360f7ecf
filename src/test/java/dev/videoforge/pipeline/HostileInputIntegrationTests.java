package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A table of hostile requests across every route: path traversal, oversized headers and bodies,
 * wrong content types, malformed JSON, SQL and script injection, forged and expired tokens,
 * someone else's ids. Each gets the right 4xx of API.md, nothing changes, nothing leaks.
 */
class HostileInputIntegrationTests extends AppIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	/** One hostile request and the statuses that are right for it. */
	record Attack(String name, String method, String path, Map<String, String> headers, String body, Set<Integer> expected) {
	}

	private static Attack attack(String name, String method, String path, String body, Integer... expected) {
		return new Attack(name, method, path, Map.of(), body, Set.of(expected));
	}

	private static Attack attack(String name, String method, String path, Map<String, String> headers, String body,
			Integer... expected) {
		return new Attack(name, method, path, headers, body, Set.of(expected));
	}

	@Test
	void hostileRequestsGetTheRight4xxAndChangeOrLeakNothing() throws Exception {
		ApiClient alice = newUser("alice");
		ApiClient mallory = newUser("mallory");
		String secretTitle = "Alice private diary " + System.nanoTime();
		String publicId = alice.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "Alice public", "PUBLIC", 1 << 20).videoId();
		String privateId = alice.tusUpload(Media.real("imovie_export_67ms.mp4"), secretTitle, "PRIVATE", 1 << 20).videoId();
		String malloryId = mallory.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "Mallory's", "PUBLIC", 1 << 20).videoId();
		for (String id : List.of(publicId, privateId, malloryId)) {
			assertThat(alice.as(id.equals(malloryId) ? mallory.token() : alice.token()).awaitFinal(id, Duration.ofMinutes(2))
					.path("status").asString()).isEqualTo("READY");
		}
		String jwtKey = Files.readString(data.resolve("secrets/jwt.key")).trim();
		String aliceId = ApiClient.json(alice.get("/api/auth/me")).path("id").asString();

		long users = count("users");
		long videos = count("videos");
		long jobs = count("jobs");
		String aliceVideosBefore = jdbc.sql("SELECT id || title || visibility || status FROM videos WHERE owner_id = ? ORDER BY id")
				.param(aliceId).query(String.class).list().toString();

		List<Attack> attacks = new ArrayList<>();
		Map<String, String> json = Map.of("Content-Type", "application/json");
		String real = mallory.token();
		String bearer = "Bearer " + real;
		Map<String, String> asMallory = Map.of("Authorization", bearer);
		Map<String, String> asMalloryJson = Map.of("Authorization", bearer, "Content-Type", "application/json");

		// Path traversal in ids and file names.
		for (String path : List.of("/api/gallery/videos/..%2F..%2Fsecrets%2Fjwt.key", "/api/gallery/videos/%2e%2e",
				"/api/gallery/videos/" + publicId + "%00", "/api/gallery/videos/" + publicId.toUpperCase(),
				"/api/stream/" + publicId + "/..%2F..%2Fsecrets%2Fjwt.key", "/api/stream/" + publicId + "/%2e%2e/%2e%2e/db/videoforge.mv.db",
				"/api/stream/..%2Fsecrets/master.m3u8", "/api/stream/" + publicId + "/720p/..%2F..%2F..%2Foriginals%2F" + publicId,
				"/api/stream/" + publicId + "/master.m3u8%2F..%2F..%2Fx", "/api/stream/" + publicId + "/240p/seg_00000.m4s;.jpg",
				"/api/stream/" + publicId + "/C:%5Cwindows%5Cwin.ini", "/api/stream/" + publicId + "/thumbnail.jpg%00.m3u8",
				"/api/stream/%252e%252e/master.m3u8", "/api/admin/jobs/..%2F..%2Fx/logs/1",
				"/api/gallery/videos/" + publicId + "/..%2F" + privateId)) {
			attacks.add(attack("traversal GET " + path, "GET", path, null, 400, 404));
		}
		for (String path : List.of("/api/uploads/..%2F..%2Fsecrets%2Fjwt.key", "/api/uploads/%2e%2e%2f%2e%2e",
				"/api/uploads/" + privateId + "%2F..")) {
			attacks.add(attack("traversal tus HEAD " + path, "HEAD", path, Map.of("Tus-Resumable", "1.0.0"), null, 400, 404));
		}

		// Oversized headers and bodies.
		attacks.add(attack("20 KB header", "GET", "/api/gallery/videos", Map.of("X-Junk", "x".repeat(20_000)), null, 400, 431));
		attacks.add(attack("huge title", "PATCH", "/api/gallery/videos/" + malloryId, asMalloryJson,
				"{\"title\":\"" + "t".repeat(10_000) + "\"}", 400));
		attacks.add(attack("huge description", "PATCH", "/api/gallery/videos/" + malloryId, asMalloryJson,
				"{\"description\":\"" + "d".repeat(100_000) + "\"}", 400));
		attacks.add(attack("huge search", "GET", "/api/gallery/videos?q=" + "q".repeat(1000), null, 400));
		attacks.add(attack("tus length beyond the maximum", "POST", "/api/uploads",
				Map.of("Authorization", bearer, "Tus-Resumable", "1.0.0", "Upload-Length", "999999999999999"), null, 413));
		attacks.add(attack("tus negative length", "POST", "/api/uploads",
				Map.of("Authorization", bearer, "Tus-Resumable", "1.0.0", "Upload-Length", "-5"), null, 400));
		attacks.add(attack("tus non-numeric length", "POST", "/api/uploads",
				Map.of("Authorization", bearer, "Tus-Resumable", "1.0.0", "Upload-Length", "1e9"), null, 400));
		attacks.add(attack("tus metadata not base64", "POST", "/api/uploads", Map.of("Authorization", bearer,
				"Tus-Resumable", "1.0.0", "Upload-Length", "10", "Upload-Metadata", "title ***"), null, 400));
		attacks.add(attack("1 MB login body", "POST", "/api/auth/login", json,
				"{\"username\":\"" + "u".repeat(1_000_000) + "\",\"password\":\"x\"}", 400, 401, 413));

		// Wrong content types.
		attacks.add(attack("login as text", "POST", "/api/auth/login", Map.of("Content-Type", "text/plain"),
				"username=alice&password=x", 415));
		attacks.add(attack("login as XML", "POST", "/api/auth/login", Map.of("Content-Type", "application/xml"),
				"<login><username>a</username></login>", 400, 415));
		attacks.add(attack("register as form", "POST", "/api/auth/register",
				Map.of("Content-Type", "application/x-www-form-urlencoded"), "username=zz&password=yyyyyyyyyy", 415));
		attacks.add(attack("patch as form", "PATCH", "/api/gallery/videos/" + malloryId,
				Map.of("Authorization", bearer, "Content-Type", "application/x-www-form-urlencoded"), "title=x", 415));
		attacks.add(attack("video upload as JSON", "POST", "/api/videos", asMalloryJson, "{\"file\":\"x\"}", 415));
		attacks.add(attack("tus chunk as JSON", "PATCH", "/api/uploads/" + malloryId, Map.of("Authorization", bearer,
				"Tus-Resumable", "1.0.0", "Upload-Offset", "0", "Content-Type", "application/json"), "{}", 415));
		attacks.add(attack("multipart without boundary", "POST", "/api/videos",
				Map.of("Authorization", bearer, "Content-Type", "multipart/form-data"), "garbage", 400, 415));

		// Malformed JSON.
		for (String body : List.of("{", "[]", "null", "\"string\"", "{\"username\":", "{\"username\":[1,2],\"password\":{}}",
				"{'username':'a'}", "[".repeat(5000), "{\"username\":\"a\",\"password\":\"b\",}", "\u0000\u0001")) {
			attacks.add(attack("malformed login " + body.substring(0, Math.min(10, body.length())), "POST", "/api/auth/login",
					json, body, 400));
		}
		for (String body : List.of("{", "{\"title\":{}}", "{\"visibility\":\"EVERYONE\"}", "{\"title\":null,\"visibility\":[]}")) {
			attacks.add(attack("malformed patch " + body, "PATCH", "/api/gallery/videos/" + malloryId, asMalloryJson, body, 400));
		}
		attacks.add(attack("malformed refresh", "POST", "/api/auth/refresh", json, "{\"refreshToken\":42}", 400, 401));
		attacks.add(attack("malformed mfa", "POST", "/api/auth/mfa/verify", json, "{\"mfaToken\":\"x\"}", 400));

		// SQL and script injection in search and sort (title edits are checked below, on Mallory's own video).
		for (String q : List.of("' OR '1'='1", "%' OR 1=1 --", "'; DROP TABLE videos; --", "\" OR \"\"=\"",
				"1' UNION SELECT password_hash FROM users --", "<script>alert(1)</script>", "%", "_", "\\", "') OR ('x'='x")) {
			attacks.add(attack("injection search " + q, "GET",
					"/api/gallery/videos?q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8), null, 200));
		}
		for (String sort : List.of("title;DROP TABLE videos", "created_at DESC, (SELECT 1)", "1", "title desc--")) {
			attacks.add(attack("injection sort " + sort, "GET",
					"/api/gallery/videos?sort=" + java.net.URLEncoder.encode(sort, StandardCharsets.UTF_8), null, 400));
		}
		attacks.add(attack("injection login", "POST", "/api/auth/login", json,
				"{\"username\":\"admin' --\",\"password\":\"' OR '1'='1\"}", 401));
		attacks.add(attack("injection register", "POST", "/api/auth/register", json,
				"{\"username\":\"x'); DROP TABLE users;--\",\"password\":\"correct horse battery\"}", 400));

		// Forged, tampered, expired and wrong-kind tokens, on a public, an authenticated and an admin route.
		List<String> tokens = new ArrayList<>();
		tokens.add(new PlainJWT(new JWTClaimsSet.Builder().issuer("videoforge").subject(aliceId).claim("typ", "access")
				.claim("roles", List.of("USER", "ADMIN")).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build())
				.serialize());
		tokens.add(hs256("a-completely-different-secret-key-0123456789", aliceId, "access", 600));
		tokens.add(hs256Raw(jwtKey, aliceId, "access", -60));
		tokens.add(hs256Raw(jwtKey, aliceId, "refresh", 600));
		tokens.add(hs256Raw(jwtKey, aliceId, "mfa", 600));
		String[] parts = real.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(
				payload.replace("\"USER\"", "\"ADMIN\"").getBytes(StandardCharsets.UTF_8));
		tokens.add(parts[0] + "." + tampered + "." + parts[2]);
		tokens.add(parts[0] + "." + parts[1] + ".");
		tokens.add("eyJhbGciOiJub25lIn0." + parts[1] + ".");
		tokens.add("not-a-jwt");
		tokens.add(real + "x");
		for (int i = 0; i < tokens.size(); i++) {
			Map<String, String> forged = Map.of("Authorization", "Bearer " + tokens.get(i));
			attacks.add(attack("token " + i + " on me", "GET", "/api/auth/me", forged, null, 401));
			attacks.add(attack("token " + i + " on admin", "GET", "/api/admin/queue", forged, null, 401));
			attacks.add(attack("token " + i + " deleting", "DELETE", "/api/gallery/videos/" + publicId, forged, null, 401));
		}
		attacks.add(attack("basic auth", "GET", "/api/auth/me", Map.of("Authorization", "Basic YWxpY2U6eA=="), null, 401));
		attacks.add(attack("empty bearer", "GET", "/api/auth/me", Map.of("Authorization", "Bearer "), null, 401));

		// Someone else's ids, as Mallory.
		attacks.add(attack("read private", "GET", "/api/gallery/videos/" + privateId, asMallory, null, 404));
		attacks.add(attack("edit public", "PATCH", "/api/gallery/videos/" + publicId, asMalloryJson, "{\"title\":\"pwned\"}", 403));
		attacks.add(attack("edit private", "PATCH", "/api/gallery/videos/" + privateId, asMalloryJson, "{\"title\":\"pwned\"}", 404));
		attacks.add(attack("delete public", "DELETE", "/api/gallery/videos/" + publicId, asMallory, null, 403));
		attacks.add(attack("delete private", "DELETE", "/api/gallery/videos/" + privateId, asMallory, null, 404));
		attacks.add(attack("stream private", "GET", "/api/stream/" + privateId + "/master.m3u8", asMallory, null, 404));
		attacks.add(attack("qualities private", "GET", "/api/stream/" + privateId + "/qualities", asMallory, null, 404));
		attacks.add(attack("poster private", "GET", "/api/stream/" + privateId + "/thumbnail.jpg", asMallory, null, 404));
		attacks.add(attack("events private", "GET", "/api/gallery/videos/" + privateId + "/events", asMallory, null, 404));
		attacks.add(attack("tus head other", "HEAD", "/api/uploads/" + publicId,
				Map.of("Authorization", "Bearer " + real, "Tus-Resumable", "1.0.0"), null, 404));
		attacks.add(attack("tus patch other", "PATCH", "/api/uploads/" + privateId, Map.of("Authorization", "Bearer " + real,
				"Tus-Resumable", "1.0.0", "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream"), "xx", 404));
		attacks.add(attack("tus delete other", "DELETE", "/api/uploads/" + publicId,
				Map.of("Authorization", "Bearer " + real, "Tus-Resumable", "1.0.0"), null, 404));
		attacks.add(attack("admin queue", "GET", "/api/admin/queue", asMallory, null, 403));
		attacks.add(attack("admin jobs", "GET", "/api/admin/jobs", asMallory, null, 403));
		attacks.add(attack("admin retry", "POST", "/api/admin/jobs/0000000000000000/retry", asMallory, null, 403));
		attacks.add(attack("admin retry all", "POST", "/api/admin/jobs/retry-dead", asMallory, null, 403));
		attacks.add(attack("signed url of another video", "GET", "/api/stream/" + privateId + "/master.m3u8?"
				+ signedQueryOf(mallory, malloryId), null, 404));
		attacks.add(attack("garbage signature on a private video", "GET", "/api/stream/" + privateId
				+ "/master.m3u8?exp=1&kid=k1&sig=x", null, 404));
		attacks.add(attack("password over 72 bytes", "POST", "/api/auth/register", json,
				"{\"username\":\"longpass\",\"password\":\"" + "ü".repeat(40) + "\"}", 400));
		attacks.add(attack("same name, other case", "POST", "/api/auth/register", json,
				"{\"username\":\"" + ApiClient.json(alice.get("/api/auth/me")).path("username").asString().toUpperCase()
						+ "\",\"password\":\"correct horse battery\"}", 409));
		attacks.add(attack("anonymous upload", "POST", "/api/uploads", Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "10"),
				null, 401));
		attacks.add(attack("anonymous edit", "PATCH", "/api/gallery/videos/" + publicId, json, "{\"title\":\"x\"}", 401));
		attacks.add(attack("method not allowed", "PUT", "/api/gallery/videos/" + publicId, asMalloryJson, "{}", 405));
		attacks.add(attack("mfa setup anonymous", "POST", "/api/auth/mfa/setup", null, 401));
		attacks.add(attack("password change anonymous", "POST", "/api/auth/password", json,
				"{\"currentPassword\":\"a\",\"newPassword\":\"b\"}", 401));

		assertThat(attacks.size()).as("at least 100 hostile requests").isGreaterThanOrEqualTo(100);
		SoftAssertions softly = new SoftAssertions();
		for (Attack a : attacks) {
			HttpResponse<String> response = send(a);
			softly.assertThat(response.statusCode()).as("%s → %s", a.name(), response.body().length() > 200
					? response.body().substring(0, 200) : response.body()).isIn(a.expected());
			softly.assertThat(response.statusCode()).as("%s is no server error", a.name()).isLessThan(500);
			softly.assertThat(response.body()).as("%s leaks nothing", a.name()).doesNotContain(secretTitle, jwtKey, "$2a$",
					"password_hash", "Exception", "at dev.videoforge");
			// An empty body is no error JSON: it fails this check rather than skip it.
			if (response.statusCode() >= 400 && response.statusCode() != 431 && !a.method().equals("HEAD")) {
				softly.assertThat(response.body()).as("%s answers API.md's error JSON", a.name()).contains("\"error\"");
			}
		}
		softly.assertAll();

		// Nothing changed: no account, video or job appeared or vanished; Alice's videos are as they were.
		assertThat(count("users")).isEqualTo(users);
		assertThat(count("videos")).isEqualTo(videos);
		assertThat(count("jobs")).isEqualTo(jobs);
		assertThat(jdbc.sql("SELECT id || title || visibility || status FROM videos WHERE owner_id = ? ORDER BY id")
				.param(aliceId).query(String.class).list().toString()).isEqualTo(aliceVideosBefore);

		// Script in a title is stored as text and given back as JSON text, never as HTML.
		var edited = mallory.send("PATCH", "/api/gallery/videos/" + malloryId,
				Map.of("title", "<img src=x onerror=alert(1)>", "description", "'; DROP TABLE videos; --"));
		assertThat(edited.statusCode()).isEqualTo(200);
		assertThat(edited.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		JsonNode video = ApiClient.json(mallory.get("/api/gallery/videos/" + malloryId));
		assertThat(video.path("title").asString()).isEqualTo("<img src=x onerror=alert(1)>");
		assertThat(video.path("description").asString()).isEqualTo("'; DROP TABLE videos; --");
		assertThat(count("videos")).isEqualTo(videos);
	}

	private long count(String table) {
		return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
	}

	private static String signedQueryOf(ApiClient owner, String videoId) throws Exception {
		// A PUBLIC video's URLs are not signed; sign Mallory's by making it UNLISTED for a moment.
		owner.send("PATCH", "/api/gallery/videos/" + videoId, Map.of("visibility", "UNLISTED"));
		String url = ApiClient.json(owner.get("/api/stream/" + videoId + "/qualities")).path("masterUrl").asString();
		owner.send("PATCH", "/api/gallery/videos/" + videoId, Map.of("visibility", "PUBLIC"));
		return url.substring(url.indexOf('?') + 1);
	}

	private static String hs256(String secret, String subject, String type, long seconds) throws Exception {
		return sign(secret.getBytes(StandardCharsets.UTF_8), subject, type, seconds);
	}

	private static String hs256Raw(String base64Key, String subject, String type, long seconds) throws Exception {
		return sign(Base64.getDecoder().decode(base64Key), subject, type, seconds);
	}

	private static String sign(byte[] key, String subject, String type, long seconds) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("videoforge").subject(subject).claim("typ", type)
				.claim("username", "alice").claim("roles", List.of("USER", "ADMIN"))
				.issueTime(new Date(System.currentTimeMillis() - 120_000))
				.expirationTime(new Date(System.currentTimeMillis() + seconds * 1000)).build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner(key));
		return jwt.serialize();
	}

	private HttpResponse<String> send(Attack a) throws Exception {
		HttpRequest.Builder request = anonymous().request(a.path()).timeout(Duration.ofSeconds(30));
		a.headers().forEach(request::header);
		HttpRequest.BodyPublisher body = a.body() == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(a.body());
		request.method(a.method(), body);
		return anonymous().raw(request);
	}
}
