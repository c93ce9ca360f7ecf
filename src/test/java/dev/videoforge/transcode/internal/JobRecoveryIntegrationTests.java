package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.Queues;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The processor's start-up reconciliation, on states a crash between two writes of another
 * adapter or version could leave (made here with SQL): each video is set moving once.
 */
class JobRecoveryIntegrationTests extends AppIntegrationTest {

	@TempDir
	static Path temp;

	static Path clip;

	@Autowired
	JobRecovery recovery;

	@Autowired
	JdbcClient jdbc;

	@BeforeAll
	static void clip() throws Exception {
		clip = Media.testClip(temp.resolve("clip.mp4"), "320x240", 1);
	}

	private String readyVideo(ApiClient owner) throws Exception {
		var upload = owner.multipart(clip, "recovery", "PUBLIC");
		assertThat(upload.statusCode()).isEqualTo(201);
		String id = ApiClient.json(upload).path("id").asString();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		// The worker marks the video READY, then acknowledges its job: the tests below change what
		// they find, so they start once the job is DONE (else a job still LEASED looks "moving").
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!"DONE".equals(jdbc.sql("SELECT state FROM jobs WHERE dedupe_key = ?").param(Queues.transcodeKey(id))
				.query(String.class).optional().orElse(null))) {
			assertThat(System.nanoTime()).as("job of %s DONE within 30 s", id).isLessThan(deadline);
			Thread.sleep(50);
		}
		return id;
	}

	private long jobsOf(String id) {
		return jdbc.sql("SELECT COUNT(*) FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(id).query(Long.class).single();
	}

	@Test
	void aQueuedVideoWithoutAJobGetsExactlyOneEvenWhenTwoProcessorsCheckAtOnce() throws Exception {
		ApiClient owner = newUser("rec");
		String id = readyVideo(owner);
		jdbc.sql("DELETE FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(id).update();
		jdbc.sql("UPDATE videos SET status = 'QUEUED' WHERE id = ?").param(id).update();

		var first = CompletableFuture.supplyAsync(recovery::recover);
		var second = CompletableFuture.supplyAsync(recovery::recover);
		assertThat(first.get() + second.get()).as("one of them queued it").isGreaterThanOrEqualTo(1);
		assertThat(jobsOf(id)).isEqualTo(1);
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(jobsOf(id)).isEqualTo(1);
	}

	@Test
	void aWaitingVideoWhoseJobWasMarkedDoneIsTranscodedAgain() throws Exception {
		ApiClient owner = newUser("rec");
		String id = readyVideo(owner);
		jdbc.sql("UPDATE videos SET status = 'PROCESSING' WHERE id = ?").param(id).update();

		recovery.recover();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(jobsOf(id)).isEqualTo(1);
		assertThat(jdbc.sql("SELECT state FROM jobs WHERE dedupe_key = ?").param(Queues.transcodeKey(id)).query(String.class)
				.single()).isEqualTo("DONE");
	}

	@Test
	void aWaitingVideoWhoseJobWasDeadLetteredIsFailed() throws Exception {
		ApiClient owner = newUser("rec");
		String id = readyVideo(owner);
		jdbc.sql("UPDATE jobs SET state = 'DEAD', last_error = 'ffmpeg could not decode the file' WHERE dedupe_key = 'transcode:' || ?").param(id)
				.update();
		jdbc.sql("UPDATE videos SET status = 'PROCESSING' WHERE id = ?").param(id).update();

		recovery.recover();
		var video = ApiClient.json(owner.get("/api/gallery/videos/" + id));
		assertThat(video.path("status").asString()).isEqualTo("FAILED");
		// A sentence for viewers; the job keeps ffmpeg's words.
		assertThat(video.path("error").asString()).isEqualTo(TranscodeFailure.UNDECODABLE).doesNotContain("ffmpeg");
	}
}
