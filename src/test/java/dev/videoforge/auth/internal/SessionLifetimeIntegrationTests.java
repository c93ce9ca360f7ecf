package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A stolen refresh token cannot be kept alive forever: every session has an absolute lifetime (6 s here). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.auth.session-lifetime=6s", "videoforge.rate-limit.enabled=false" })
class SessionLifetimeIntegrationTests {

	@DynamicPropertySource
	static void data(DynamicPropertyRegistry registry) throws Exception {
		var dir = Files.createTempDirectory("videoforge-sessions-");
		registry.add("videoforge.data-dir", dir::toString);
	}

	@Value("${local.server.port}")
	int port;

	private HttpResponse<String> post(String path, Object body) throws Exception {
		return new ApiClient("http://127.0.0.1:" + port).send("POST", path, body);
	}

	private static JsonNode claims(String jwt) {
		String payload = jwt.split("\\.")[1];
		return ApiClient.JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
	}

	@Test
	void aSessionEndsAtItsAbsoluteLifetimeHoweverOftenItIsRefreshed() throws Exception {
		String name = "forever" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		Map<String, String> credentials = Map.of("username", name, "password", "refresh forever phrase");
		assertThat(post("/api/auth/register", credentials).statusCode()).isEqualTo(201);
		Instant loggedIn = Instant.now();
		JsonNode tokens = ApiClient.json(post("/api/auth/login", credentials));
		// The server's clock read the start somewhere between these two instants: the session ends
		// at most 6 s after the later one (the earlier one, read before the request, could be a
		// second boundary before the server's).
		long end = Instant.now().getEpochSecond() + 6;
		assertThat(claims(tokens.path("accessToken").asString()).path("exp").asLong()).as("access ends with the session")
				.isLessThanOrEqualTo(end);
		String refresh = tokens.path("refreshToken").asString();
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		HttpResponse<String> last;
		int refreshes = 0;
		while (true) {
			last = post("/api/auth/refresh", Map.of("refreshToken", refresh));
			if (last.statusCode() != 200 || System.nanoTime() > deadline) {
				break;
			}
			refreshes++;
			JsonNode pair = ApiClient.json(last);
			refresh = pair.path("refreshToken").asString();
			assertThat(claims(refresh).path("exp").asLong()).as("no successor outlives the session").isLessThanOrEqualTo(end);
			assertThat(claims(pair.path("accessToken").asString()).path("exp").asLong()).isLessThanOrEqualTo(end);
			Thread.sleep(400);
		}
		Instant ended = Instant.now();
		assertThat(refreshes).as("refreshing worked until then").isGreaterThan(3);
		assertThat(last.statusCode()).isEqualTo(401);
		assertThat(ApiClient.json(last).path("error").asString()).isEqualTo("invalid_token");
		assertThat(Duration.between(loggedIn, ended)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(12));
		// Logging in again starts a new session.
		assertThat(post("/api/auth/login", credentials).statusCode()).isEqualTo(200);
	}
}
