package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TcpProxy;
import dev.videoforge.support.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away for a while: the API says so (503 with Retry-After) instead of failing
 * strangely, no job is lost, and everything carries on once it is back.
 */
@RequiresPostgres
class DatabaseOutageIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void answers503WhileTheDatabaseIsAwayAndLosesNoJob() throws Exception {
		String schema = "vf_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		java.net.URI postgres = java.net.URI.create(TestDatabases.POSTGRES_URL.substring("jdbc:".length()));
		try (TcpProxy proxy = new TcpProxy(postgres.getHost(), postgres.getPort() < 0 ? 5432 : postgres.getPort())) {
			String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + postgres.getPath() + "?currentSchema=" + schema;
			Path log = temp.resolve("server.log");
			try (ServerProcess server = ServerProcess.start(ServerProcess.freePort(), log,
					"--videoforge.data-dir=" + temp.resolve("data"), "--spring.datasource.url=" + url,
					"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
					"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
					"--videoforge.queue.visibility-timeout=5s", "--videoforge.queue.poll-interval=200ms")) {
				ApiClient alice = new ApiClient(server.base()).signUp("alice", "correct horse battery");
				var upload = alice.multipart(Media.real("av1_10bit_hdr10_portrait_720x1280.mp4"), "Through the outage", "PUBLIC");
				assertThat(upload.statusCode()).isEqualTo(201);
				String id = ApiClient.json(upload).path("id").asString();

				proxy.cut();
				long cutAt = System.nanoTime();
				var down = alice.get("/api/gallery/videos/" + id);
				assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
				assertThat(down.headers().firstValue("Retry-After")).isPresent();
				assertThat(ApiClient.json(down).path("error").asString()).isEqualTo("unavailable");
				var listDown = alice.get("/api/gallery/videos");
				assertThat(listDown.statusCode()).isEqualTo(503);
				assertThat(alice.multipart(Media.real("mp3_vbr_xing.mp3"), "during", "PUBLIC").statusCode()).isEqualTo(503);
				// Stay away long enough for the transcode's lease to run out.
				Thread.sleep(Math.max(0, 8000 - (System.nanoTime() - cutAt) / 1_000_000));
				proxy.restore();

				var video = alice.awaitFinal(id, Duration.ofMinutes(3));
				assertThat(video.path("status").asString()).as(java.nio.file.Files.readString(log)).isEqualTo("READY");
				assertThat(alice.get("/api/stream/" + id + "/master.m3u8").statusCode()).isEqualTo(200);
				var after = alice.multipart(Media.real("mp3_vbr_xing.mp3"), "after", "PUBLIC");
				assertThat(after.statusCode()).isEqualTo(201);
				assertThat(alice.awaitFinal(ApiClient.json(after).path("id").asString(), Duration.ofMinutes(2)).path("status")
						.asString()).isEqualTo("READY");
			}
		}
		finally {
			try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
				c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}
}
