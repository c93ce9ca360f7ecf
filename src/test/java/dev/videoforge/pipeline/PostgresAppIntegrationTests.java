package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.PostgresSchema;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.RequiresPostgres;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application on PostgreSQL instead of H2: the migrations, the SKIP LOCKED queue and
 * the catalog's SQL. Skipped, with the reason in the report, when no PostgreSQL answers.
 */
@RequiresPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "spring.flyway.create-schemas=true" })
class PostgresAppIntegrationTests {

	@RegisterExtension
	static final PostgresSchema SCHEMA = new PostgresSchema("vf_app_");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) throws IOException {
		SCHEMA.settings(registry);
	}

	@Value("${local.server.port}")
	int port;

	@Test
	void uploadsTranscodesListsAndStreamsOnPostgres() throws Exception {
		ApiClient alice = new ApiClient("http://127.0.0.1:" + port).signUp("alice", "correct horse battery");
		var upload = alice.tusUpload(Media.real("av1_1080x720_aac.mp4"), "On PostgreSQL 100%", "PUBLIC", 64 * 1024);
		assertThat(upload.lastResponse().statusCode()).isEqualTo(204);
		var video = alice.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).isEqualTo("READY");
		assertThat(video.path("qualities").toString()).isEqualTo("[\"720p\",\"480p\",\"360p\",\"240p\"]");

		var found = ApiClient.json(alice.get("/api/gallery/videos?q=postgresql%20100%25&sort=title"));
		assertThat(found.path("total").asLong()).isEqualTo(1);
		assertThat(alice.get("/api/stream/" + upload.videoId() + "/master.m3u8").body()).contains("720p/index.m3u8");
		// Decoded to its last frame, against the source.
		Renditions.assertRendition(alice.base() + "/api/stream/" + upload.videoId() + "/480p/index.m3u8",
				Renditions.decode(Media.real("av1_1080x720_aac.mp4").toString()), true);
	}
}
