package dev.videoforge.upload.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class UploadJanitorIntegrationTests extends AppIntegrationTest {

	@Autowired
	UploadJanitor janitor;

	@Test
	void forgetsUploadsNobodyFinishedAndKeepsLiveOnes() throws Exception {
		ApiClient gina = newUser("gina");
		var created = gina.tusCreate(100_000, Map.of("filename", "abandoned.mp4"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		assertThat(gina.tusPatch(location, 0, new byte[10_000], null).statusCode()).isEqualTo(204);
		assertThat(data.resolve("blobs/uploads").resolve(id)).isNotEmptyDirectory();

		assertThat(janitor.removeOlderThan(Instant.now().minusSeconds(3600))).as("recent uploads stay").isZero();
		assertThat(gina.tusHead(location).statusCode()).isEqualTo(200);

		janitor.removeOlderThan(Instant.now().plusSeconds(60));
		assertThat(gina.tusHead(location).statusCode()).isEqualTo(404);
		assertThat(gina.get("/api/gallery/videos/" + id).statusCode()).isEqualTo(404);
		assertThat(data.resolve("blobs/uploads").resolve(id)).as("its staged pieces").doesNotExist();
	}
}
