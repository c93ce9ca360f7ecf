package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default survives a hard crash: SIGKILL the one process in the middle of a
 * transcode, start it again on the same data, and the video still becomes READY with one clean
 * set of renditions.
 */
class CrashRecoveryIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void aVideoBeingTranscodedWhenTheProcessIsKilledBecomesReadyAfterARestart() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "1920x1080", 12);

		Path data = temp.resolve("data");
		Path log = temp.resolve("server.log");
		int port = ServerProcess.freePort();
		// A slower preset keeps the job running long enough to be caught in the middle.
		String[] settings = { "--videoforge.data-dir=" + data, "--videoforge.queue.visibility-timeout=4s",
				"--videoforge.queue.poll-interval=200ms", "--videoforge.transcode.preset=faster" };

		String id;
		ApiClient alice;
		try (ServerProcess first = ServerProcess.start(port, log, settings)) {
			alice = new ApiClient(first.base()).signUp("alice", "correct horse battery");
			var upload = alice.multipart(source, "Crash test", "PUBLIC");
			assertThat(upload.statusCode()).isEqualTo(201);
			id = ApiClient.json(upload).path("id").asString();
			alice.awaitProgress(id, 10, Duration.ofMinutes(2));
			killMidTranscode(first);
		}
		// Twice more, each time in the middle of the next attempt: three crashes in a row are the
		// machine's fault, not the file's, and do not make it FAILED (the old code charged them).
		for (int attempt = 2; attempt <= 3; attempt++) {
			try (ServerProcess again = ServerProcess.start(port, log, settings)) {
				awaitLog(log, "video " + id + " attempt " + attempt + " started");
				killMidTranscode(again);
			}
		}

		try (ServerProcess last = ServerProcess.start(port, log, settings)) {
			ApiClient again = new ApiClient(last.base()).signUp("alice", "correct horse battery");
			JsonNode video = again.awaitFinal(id, Duration.ofMinutes(5));
			assertThat(video.path("status").asString()).as(Files.readString(log)).isEqualTo("READY");
			assertThat(video.path("qualities").toString()).isEqualTo("[\"1080p\",\"720p\",\"480p\",\"360p\",\"240p\"]");
			// The killed attempt is not charged to the file: it counts as a worker stop.
			assertThat(Files.readString(log)).containsPattern("attempt 4 started on .* \\(failures 0/3, worker stops 3/5\\)");

			// One set of renditions: every stored file is one a playlist names, nothing half-written.
			Renditions.assertOneSetThatPlays(again, data, id);
			try (Stream<Path> work = Files.list(data.resolve("work")); Stream<Path> tmp = Files.list(data.resolve("blobs/.tmp"))) {
				assertThat(work.toList()).as("no scratch left").isEmpty();
				assertThat(tmp.toList()).as("no half-written objects").isEmpty();
			}
		}
	}

	/** SIGKILL while ffmpeg works on the job; a pulled plug takes ffmpeg with it. */
	private static void killMidTranscode(ServerProcess server) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (server.process().descendants().noneMatch(p -> p.info().command().orElse("").endsWith("ffmpeg"))) {
			assertThat(System.nanoTime()).as("ffmpeg is running").isLessThan(deadline);
			Thread.sleep(50);
		}
		server.kill();
	}

	private static void awaitLog(Path log, String text) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!Files.readString(log).contains(text)) {
			assertThat(System.nanoTime()).as("the log says: %s", text).isLessThan(deadline);
			Thread.sleep(100);
		}
	}
}
