package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import org.junit.jupiter.api.Test;

/** What an operator and a client generator rely on: probes, metrics, the OpenAPI description, errors. */
class OperationsIntegrationTests extends AppIntegrationTest {

	@Test
	void healthHasLivenessAndReadinessGroups() throws Exception {
		assertThat(anonymous().get("/actuator/health").body()).contains("\"status\":\"UP\"");
		assertThat(anonymous().get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(anonymous().get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void prometheusMetricsAreForAdministratorsOnly() throws Exception {
		// Not public: what runs, how busy it is and which routes exist are nobody else's business.
		var anonymous = anonymous().get("/actuator/prometheus");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.body()).doesNotContain("jvm_memory_used_bytes");
		assertThat(anonymous().get("/actuator/prometheus/").statusCode()).isIn(401, 404);
		var user = newUser("metrics").get("/actuator/prometheus");
		assertThat(user.statusCode()).isEqualTo(403);
		assertThat(user.body()).doesNotContain("jvm_memory_used_bytes");

		// The administrator, registered with the setup token (whichever test asks for it first).
		var metrics = admin().get("/actuator/prometheus");
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes", "http_server_requests", "videoforge_queue_backlog",
				"videoforge_queue_oldest_age_seconds", "videoforge_queue_in_flight", "videoforge_queue_dead_lettered",
				"videoforge_workers_busy", "videoforge_workers_desired");
	}

	@Test
	void openApiDescribesThePublicRoutes() throws Exception {
		var docs = anonymous().get("/api/docs");
		assertThat(docs.statusCode()).isEqualTo(200);
		var json = ApiClient.json(docs);
		assertThat(json.path("openapi").asString()).startsWith("3.");
		assertThat(json.path("paths").propertyNames()).contains("/api/auth/register", "/api/auth/login",
				"/api/gallery/videos", "/api/gallery/videos/{id}", "/api/gallery/videos/{id}/events", "/api/videos",
				"/api/uploads", "/api/stream/{id}/qualities");
		assertThat(anonymous().get("/api/docs/ui").statusCode()).isIn(200, 302);
	}

	@Test
	void errorsAreJsonWithAMachineCode() throws Exception {
		var unknown = anonymous().get("/api/gallery/videos/0000000000000000");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(unknown).path("error").asString()).isEqualTo("not_found");
		assertThat(ApiClient.json(unknown).path("message").asString()).isNotBlank();

		var malformed = anonymous().raw(anonymous().request("/api/auth/login").header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json")));
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(malformed).path("error").asString()).isEqualTo("malformed_body");

		var noToken = anonymous().get("/api/auth/me");
		assertThat(noToken.statusCode()).isEqualTo(401);
		assertThat(ApiClient.json(noToken).path("error").asString()).isEqualTo("unauthenticated");

		var forged = anonymous().as("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").get("/api/auth/me");
		assertThat(forged.statusCode()).isEqualTo(401);

		var weak = anonymous().send("POST", "/api/auth/register", java.util.Map.of("username", "shorty", "password", "abc"));
		assertThat(weak.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(weak).path("error").asString()).isEqualTo("weak_password");
	}

	@Test
	void registerLoginRefreshAndMe() throws Exception {
		String name = "zed" + Long.toString(System.nanoTime() % 1_000_000, 36);
		var created = anonymous().send("POST", "/api/auth/register", java.util.Map.of("username", name, "password", "long enough pw"));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(anonymous().send("POST", "/api/auth/register", java.util.Map.of("username", name, "password", "long enough pw"))
				.statusCode()).isEqualTo(409);
		assertThat(anonymous().send("POST", "/api/auth/login", java.util.Map.of("username", name, "password", "wrong password"))
				.statusCode()).isEqualTo(401);
		var tokens = ApiClient.json(anonymous().send("POST", "/api/auth/login", java.util.Map.of("username", name, "password", "long enough pw")));
		assertThat(tokens.path("expiresIn").asLong()).isPositive();
		var refreshed = anonymous().send("POST", "/api/auth/refresh", java.util.Map.of("refreshToken", tokens.path("refreshToken").asString()));
		assertThat(refreshed.statusCode()).isEqualTo(200);
		var me = ApiClient.json(anonymous().as(ApiClient.json(refreshed).path("accessToken").asString()).get("/api/auth/me"));
		assertThat(me.path("username").asString()).isEqualTo(name);
		assertThat(me.path("mfaEnabled").asBoolean()).isFalse();
		// A refresh token is not an access token.
		assertThat(anonymous().as(tokens.path("refreshToken").asString()).get("/api/auth/me").statusCode()).isEqualTo(401);
	}
}
