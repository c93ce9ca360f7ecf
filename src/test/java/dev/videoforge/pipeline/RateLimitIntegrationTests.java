package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Login, MFA, registration and the API are limited per address and per account, with 429 and
 * Retry-After; oversized bodies, names and page numbers are refused before they cost anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.rate-limit.trust-forwarded-for=true", "videoforge.rate-limit.login-per-minute=3",
				"videoforge.rate-limit.account-per-minute=5", "videoforge.rate-limit.register-per-hour=2",
				"videoforge.rate-limit.api-per-minute=20" })
class RateLimitIntegrationTests {

	@DynamicPropertySource
	static void data(DynamicPropertyRegistry registry) throws Exception {
		var dir = Files.createTempDirectory("videoforge-limits-");
		registry.add("videoforge.data-dir", dir::toString);
	}

	@Value("${local.server.port}")
	int port;

	private HttpResponse<String> post(ApiClient client, String path, String from, Object body) throws Exception {
		return client.raw(client.request(path).header("X-Forwarded-For", from).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(ApiClient.JSON.writeValueAsString(body))));
	}

	@Test
	void guessingPasswordsIsSlowedPerAddressAndPerAccount() throws Exception {
		ApiClient client = new ApiClient("http://127.0.0.1:" + port);
		assertThat(post(client, "/api/auth/register", "10.0.0.1", Map.of("username", "victim", "password", "correct horse battery"))
				.statusCode()).isEqualTo(201);
		Map<String, String> wrong = Map.of("username", "victim", "password", "not the password");
		for (int i = 0; i < 3; i++) {
			assertThat(post(client, "/api/auth/login", "10.0.0.2", wrong).statusCode()).isEqualTo(401);
		}
		// Another spelling of the same route is the same route.
		var limited = post(client, "/api/auth/%6Cogin/", "10.0.0.2", wrong);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(ApiClient.json(limited).path("error").asString()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

		// Another address may still try, until the account itself has had enough.
		assertThat(post(client, "/api/auth/login", "10.0.0.3", wrong).statusCode()).isEqualTo(401);
		assertThat(post(client, "/api/auth/login", "10.0.0.4", wrong).statusCode()).isIn(401, 429);
		var accountLimited = post(client, "/api/auth/login", "10.0.0.5", Map.of("username", "victim", "password",
				"correct horse battery"));
		assertThat(accountLimited.statusCode()).as("per-account limit or lockout").isEqualTo(429);
	}

	/** Nothing a client sends becomes a key of unbounded size: huge bodies and names are refused first. */
	@Test
	void oversizedLoginsAreRefusedBeforeTheyBecomeRateLimitKeys() throws Exception {
		ApiClient client = new ApiClient("http://127.0.0.1:" + port);
		var huge = post(client, "/api/auth/login", "10.3.0.1", Map.of("username", "u".repeat(1 << 20), "password", "x"));
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(ApiClient.json(huge).path("error").asString()).isEqualTo("payload_too_large");
		// Sent without a length: cut off at the limit too, and refused as bad input.
		var chunked = client.raw(client.request("/api/auth/login").header("X-Forwarded-For", "10.3.0.1")
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(() ->
						new java.io.ByteArrayInputStream(("{\"username\":\"" + "u".repeat(1 << 20) + "\",\"password\":\"x\"}")
								.getBytes()))));
		assertThat(chunked.statusCode()).isBetween(400, 413);

		var longName = post(client, "/api/auth/login", "10.3.0.2", Map.of("username", "n".repeat(300), "password", "x"));
		assertThat(longName.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(longName).path("error").asString()).isEqualTo("invalid_request");
	}

	/** Paging has a floor: a listing cannot make the database skip past millions of rows. */
	@Test
	void listingsStopAtTheDeepestPage() throws Exception {
		ApiClient client = new ApiClient("http://127.0.0.1:" + port);
		var deepest = client.raw(client.request("/api/gallery/videos?page=500&q=x").header("X-Forwarded-For", "10.4.0.1").GET());
		assertThat(deepest.statusCode()).isEqualTo(200);
		var deeper = client.raw(client.request("/api/gallery/videos?page=501&q=x").header("X-Forwarded-For", "10.4.0.1").GET());
		assertThat(deeper.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(deeper).path("error").asString()).isEqualTo("invalid_page");
	}

	@Test
	void registrationAndTheApiAreLimitedPerAddress() throws Exception {
		ApiClient client = new ApiClient("http://127.0.0.1:" + port);
		assertThat(post(client, "/api/auth/register", "10.1.0.1", Map.of("username", "first1", "password", "correct horse battery"))
				.statusCode()).isEqualTo(201);
		assertThat(post(client, "/api/auth/register", "10.1.0.1", Map.of("username", "second2", "password", "correct horse battery"))
				.statusCode()).isEqualTo(201);
		assertThat(post(client, "/api/auth/register", "10.1.0.1", Map.of("username", "third3", "password", "correct horse battery"))
				.statusCode()).isEqualTo(429);

		// 20 a minute: a full bucket lets 20 through at once, then it refills one every 3 s. So count
		// refusals rather than expect an exact split, which a slow machine's refills would change.
		for (int i = 0; i < 20; i++) {
			assertThat(listFrom(client, "10.2.0.1").statusCode()).as("request %d of the first 20", i + 1).isEqualTo(200);
		}
		long start = System.nanoTime();
		int limited = 0;
		for (int i = 0; i < 20; i++) {
			if (listFrom(client, "10.2.0.1").statusCode() == 429) {
				limited++;
			}
		}
		long refills = (System.nanoTime() - start) / 3_000_000_000L + 1;
		assertThat(limited).as("refused of 20 more (at most %d refilled meanwhile)", refills).isGreaterThanOrEqualTo((int) (20 - refills));
		var other = client.raw(client.request("/api/gallery/videos").header("X-Forwarded-For", "10.2.0.2").GET());
		assertThat(other.statusCode()).as("another client is not affected").isEqualTo(200);
		// Only the address the proxy appended counts: what the client put in front changes nothing.
		// Right after the bucket was found empty; a token that refilled in between is tried again.
		int spoofedStatus = 0;
		for (int attempt = 0; attempt < 3 && spoofedStatus != 429; attempt++) {
			while (listFrom(client, "10.2.0.1").statusCode() != 429) {
				// draining what refilled
			}
			spoofedStatus = client.raw(client.request("/api/gallery/videos").header("X-Forwarded-For", "1.2.3.4, 10.2.0.1").GET())
					.statusCode();
		}
		assertThat(spoofedStatus).isEqualTo(429);
	}

	private HttpResponse<String> listFrom(ApiClient client, String address) throws Exception {
		return client.raw(client.request("/api/gallery/videos").header("X-Forwarded-For", address).GET());
	}
}
