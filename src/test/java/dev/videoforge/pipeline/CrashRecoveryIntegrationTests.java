package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

			List<ProcessHandle> ffmpegs = first.process().descendants().toList();
			assertThat(ffmpegs).as("ffmpeg is running").isNotEmpty();
			first.kill();
			// A pulled plug (or a stopped container) takes the children too. (On a bare host an
			// orphaned ffmpeg runs on, as it ignores SIGPIPE; the restarted server empties the work
			// folder at start and the next attempt works in a folder of its own.)
			for (ProcessHandle ffmpeg : ffmpegs) {
				ffmpeg.destroyForcibly();
				ffmpeg.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
			}
		}

		try (ServerProcess second = ServerProcess.start(port, log, settings)) {
			ApiClient again = new ApiClient(second.base()).signUp("alice", "correct horse battery");
			JsonNode video = again.awaitFinal(id, Duration.ofMinutes(5));
			assertThat(video.path("status").asString()).as(Files.readString(log)).isEqualTo("READY");
			assertThat(video.path("qualities").toString()).isEqualTo("[\"1080p\",\"720p\",\"480p\",\"360p\",\"240p\"]");
			// The killed attempt is not charged to the file: it counts as a worker stop.
			assertThat(Files.readString(log)).containsPattern("attempt 2 started on .* \\(failures 0/3, worker stops 1/5\\)");

			// One set of renditions: every stored file is one a playlist names, nothing half-written.
			Renditions.assertOneSetThatPlays(again, data, id);
			try (Stream<Path> work = Files.list(data.resolve("work")); Stream<Path> tmp = Files.list(data.resolve("blobs/.tmp"))) {
				assertThat(work.toList()).as("no scratch left").isEmpty();
				assertThat(tmp.toList()).as("no half-written objects").isEmpty();
			}
		}
	}
}
