package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No sticky routing for uploads: two processes that take uploads share PostgreSQL and storage, as
 * two gateways of a fleet do. A tus upload started through the first is SIGKILLed the moment its
 * chunk is acknowledged; the second answers HEAD with that offset, takes the rest, and the video
 * becomes READY and plays the source's frames.
 */
@RequiresPostgres
class UploadAcrossGatewaysIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void anUploadStartedThroughOneGatewayThatDiesIsFinishedThroughAnother() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "640x360", 6);
		byte[] bytes = Files.readAllBytes(source);
		int half = bytes.length / 2;
		String schema = "vf_tus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		Path shared = temp.resolve("shared");
		// Storage and database shared, as a fleet shares them; each process has its own data folder
		// (and so its own scratch folder for uploads), as each machine of a fleet has.
		List<String> common = List.of("--videoforge.storage.local-root=" + shared.resolve("blobs"),
				"--spring.datasource.url=" + TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
				"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
				"--videoforge.queue.poll-interval=200ms",
				"--videoforge.auth.jwt-secret=a-secret-shared-by-both-gateways-0123456789");
		try (ServerProcess one = ServerProcess.start(ServerProcess.freePort(), temp.resolve("one.log"),
				args(common, "--videoforge.data-dir=" + temp.resolve("data-1")));
				ServerProcess two = ServerProcess.start(ServerProcess.freePort(), temp.resolve("two.log"),
						args(common, "--videoforge.data-dir=" + temp.resolve("data-2")))) {
			ApiClient viaOne = new ApiClient(one.base()).signUp("alice", "correct horse battery");
			ApiClient viaTwo = new ApiClient(two.base()).as(viaOne.token());

			var created = viaOne.tusCreate(bytes.length, Map.of("filename", "across.mp4", "title", "Across gateways"));
			assertThat(created.statusCode()).isEqualTo(201);
			String location = created.headers().firstValue("Location").orElseThrow();
			String id = location.substring(location.lastIndexOf('/') + 1);
			var first = viaOne.tusPatch(location, 0, Arrays.copyOfRange(bytes, 0, half), null);
			assertThat(first.statusCode()).isEqualTo(204);
			assertThat(first.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(half));
			// The moment right after the acknowledgement: the first gateway is gone, with its disk
			// and its memory (its data folder is not the second's).
			one.kill();
			try (var left = Files.list(temp.resolve("data-1/uploads"))) {
				assertThat(left.toList()).as("nothing of the upload on the dead gateway's disk").isEmpty();
			}

			var head = viaTwo.tusHead(location);
			assertThat(head.statusCode()).isEqualTo(200);
			assertThat(head.headers().firstValue("Upload-Offset")).as("the offset the dead gateway acknowledged")
					.hasValue(String.valueOf(half));
			// A client that lost track and sends the first half again is told where the upload stands.
			var stale = viaTwo.tusPatch(location, 0, Arrays.copyOfRange(bytes, 0, half), null);
			assertThat(stale.statusCode()).isEqualTo(409);
			var rest = viaTwo.tusPatch(location, half, Arrays.copyOfRange(bytes, half, bytes.length), null);
			assertThat(rest.statusCode()).as(rest.body()).isEqualTo(204);
			assertThat(rest.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(bytes.length));

			var video = viaTwo.awaitFinal(id, Duration.ofMinutes(3));
			assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
			// The original is the file sent, byte for byte, and its staged pieces are gone.
			assertThat(Files.readAllBytes(shared.resolve("blobs/originals").resolve(id))).isEqualTo(bytes);
			assertThat(shared.resolve("blobs/uploads").resolve(id)).doesNotExist();
			var quality = ApiClient.json(viaTwo.get("/api/stream/" + id + "/qualities")).path("qualities").get(0);
			Renditions.assertRendition(two.base() + quality.path("url").asString(), Renditions.decode(source.toString()), true);
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
