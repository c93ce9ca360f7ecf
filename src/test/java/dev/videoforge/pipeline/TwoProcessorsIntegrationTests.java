package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two VideoForge processes share PostgreSQL and storage. The one transcoding is killed with
 * SIGKILL mid-job; the other takes the job over when the lease runs out and finishes it.
 */
@RequiresPostgres
class TwoProcessorsIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void aJobWhoseProcessorIsKilledIsRedeliveredToTheOtherAndCompletes() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "1280x720", 14);

		String schema = "vf_two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		Path shared = temp.resolve("shared");
		List<String> common = List.of("--videoforge.data-dir=" + shared,
				"--spring.datasource.url=" + TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
				"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
				"--videoforge.queue.visibility-timeout=4s", "--videoforge.queue.poll-interval=200ms",
				// A slower preset keeps the job running long enough to be caught in the middle.
				"--videoforge.transcode.preset=medium",
				"--videoforge.auth.jwt-secret=a-secret-shared-by-both-processes-0123456789");
		try (ServerProcess a = ServerProcess.start(ServerProcess.freePort(), temp.resolve("a.log"),
				args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-a")));
				ServerProcess b = ServerProcess.start(ServerProcess.freePort(), temp.resolve("b.log"),
						args(common, "--videoforge.transcode.work-dir=" + temp.resolve("work-b")))) {
			ApiClient viaA = new ApiClient(a.base()).signUp("alice", "correct horse battery");
			// One token works on both: they share the signing key, as a fleet does.
			ApiClient viaB = new ApiClient(b.base()).as(viaA.token());

			var upload = viaA.multipart(source, "Shared", "PUBLIC");
			assertThat(upload.statusCode()).isEqualTo(201);
			String id = ApiClient.json(upload).path("id").asString();
			viaA.awaitProgress(id, 10, Duration.ofMinutes(2));

			// Kill whichever process is transcoding it; the survivor must finish it.
			boolean aWorks = Files.readString(temp.resolve("a.log")).contains("video " + id + " attempt 1 started");
			ServerProcess victim = aWorks ? a : b;
			ApiClient survivor = aWorks ? viaB : viaA;
			Path survivorLog = temp.resolve(aWorks ? "b.log" : "a.log");
			victim.kill();

			JsonNode video = survivor.awaitFinal(id, Duration.ofMinutes(4));
			assertThat(video.path("status").asString()).isEqualTo("READY");
			assertThat(Files.readString(survivorLog)).contains("video " + id + " attempt 2 started");
			assertThat(video.path("qualities").toString()).isEqualTo("[\"720p\",\"480p\",\"360p\",\"240p\"]");
			JsonNode rungs = ApiClient.json(survivor.get("/api/stream/" + id + "/qualities")).path("qualities");
			assertThat(rungs.size()).as("rungs of %s", id).isEqualTo(4);
			var decodedSource = dev.videoforge.support.Renditions.decode(source.toString());
			for (JsonNode quality : rungs) {
				dev.videoforge.support.Renditions.assertRendition(survivor.base() + quality.path("url").asString(), decodedSource, true);
				// One set: the playlist names every segment stored, no more.
				Path dir = shared.resolve("blobs/renditions").resolve(id).resolve(quality.path("name").asString());
				long listed = Files.readAllLines(dir.resolve("index.m3u8")).stream().filter(l -> l.endsWith(".m4s")).count();
				try (Stream<Path> files = Files.list(dir)) {
					assertThat(files.filter(p -> p.toString().endsWith(".m4s")).count()).isEqualTo(listed);
				}
			}
			try (Stream<Path> tmp = Files.list(shared.resolve("blobs/.tmp"))) {
				assertThat(tmp.toList()).as("no half-written objects").isEmpty();
			}
			Path survivorWork = temp.resolve(aWorks ? "work-b" : "work-a");
			try (Stream<Path> work = Files.list(survivorWork)) {
				assertThat(work.toList()).as("the survivor leaves no scratch").isEmpty();
			}
		}
		finally {
			try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
				c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	private static String[] args(List<String> common, String extra) {
		return Stream.concat(common.stream(), Stream.of(extra)).toArray(String[]::new);
	}
}
