package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An operator sees what the job system does, and can run a dead-lettered job again. */
class AdminIntegrationTests extends AppIntegrationTest {

	@Test
	void aPoisonFileIsDeadLetteredWithItsReasonAndLogsAndARetryRunsItAgain() throws Exception {
		ApiClient admin = admin();
		ApiClient owner = newUser("poison");
		var upload = owner.tusUpload(Media.real("vp9_invalid_bitstream.webm"), "poison", "PUBLIC", 1 << 20);
		String videoId = upload.videoId();
		var video = owner.awaitFinal(videoId, Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).isEqualTo("FAILED");

		JsonNode job = findJob(admin, videoId, "DEAD");
		assertThat(job.path("attempts").asInt()).as("the file's own fault: no second attempt").isEqualTo(1);
		assertThat(job.path("lastError").asString()).contains("vp9");
		assertThat(job.path("logs").size()).isEqualTo(1);
		String log = admin.get(job.path("logs").get(0).asString()).body();
		assertThat(log).startsWith("$ ffmpeg").contains("vp9");

		var figures = ApiClient.json(admin.get("/api/admin/queue"));
		assertThat(figures.path("deadLettered").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(figures.path("desiredWorkers").asInt()).isGreaterThanOrEqualTo(1);

		assertThat(owner.send("POST", "/api/admin/jobs/" + job.path("id").asString() + "/retry", null).statusCode())
				.as("only admins").isEqualTo(403);
		var retried = admin.send("POST", "/api/admin/jobs/" + job.path("id").asString() + "/retry", null);
		assertThat(retried.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(retried).path("state").asString()).isIn("QUEUED", "LEASED");
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + videoId)).path("status").asString())
				.isIn("QUEUED", "PROCESSING");
		assertThat(admin.send("POST", "/api/admin/jobs/" + job.path("id").asString() + "/retry", null).statusCode())
				.as("not dead any more").isEqualTo(409);

		// It runs again, and being poison, ends the same way.
		assertThat(owner.awaitFinal(videoId, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("FAILED");
		assertThat(findJob(admin, videoId, "DEAD").path("attempts").asInt()).isEqualTo(1);
	}

	@Test
	void adminRoutesRefuseOthers() throws Exception {
		ApiClient user = newUser("plain");
		assertThat(user.get("/api/admin/queue").statusCode()).isEqualTo(403);
		assertThat(anonymous().get("/api/admin/jobs").statusCode()).isEqualTo(401);
		assertThat(admin().get("/api/admin/jobs?state=SIDEWAYS").statusCode()).isEqualTo(400);
		assertThat(admin().get("/api/admin/jobs/0000000000000000").statusCode()).isEqualTo(404);
	}

	private static JsonNode findJob(ApiClient admin, String videoId, String state) throws Exception {
		var jobs = ApiClient.json(admin.get("/api/admin/jobs?state=" + state));
		for (JsonNode job : jobs) {
			if (job.path("videoId").asString().equals(videoId)) {
				return job;
			}
		}
		throw new AssertionError("no " + state + " job for video " + videoId + " in " + jobs);
	}
}
