package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every account's limits are settings: unfinished uploads, videos, stored bytes; and the server
 * keeps a floor of free disk, refusing uploads (503, try later) that would go below it.
 */
class AccountLimitsIntegrationTests extends AppIntegrationTest {

	/**
	 * Small limits (dynamic properties win over the shared application's), and a floor 4 GB below
	 * what is free now (on the temporary folder's disk, where every test application keeps its data): small uploads pass, a 5 GB one would go under it.
	 */
	@DynamicPropertySource
	static void limits(DynamicPropertyRegistry registry) {
		registry.add("videoforge.upload.max-open-uploads", () -> "2");
		registry.add("videoforge.upload.max-videos", () -> "3");
		registry.add("videoforge.upload.max-stored", () -> "10GB");
		registry.add("videoforge.upload.max-size", () -> "20GB");
		registry.add("videoforge.upload.min-free-space", () -> {
			try {
				return (Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace() - 4L * 1024 * 1024 * 1024) + "B";
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		});
	}

	@Test
	void anAccountHasAtMostItsOpenUploads() throws Exception {
		ApiClient alice = newUser("alice");
		HttpResponse<String> first = alice.tusCreate(1000, Map.of("title", "one"));
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(alice.tusCreate(1000, Map.of("title", "two")).statusCode()).isEqualTo(201);
		HttpResponse<String> third = alice.tusCreate(1000, Map.of("title", "three"));
		assertThat(third.statusCode()).isEqualTo(422);
		assertThat(ApiClient.json(third).path("error").asString()).isEqualTo("too_many_open_uploads");
		// Someone else is not limited by Alice's uploads.
		assertThat(newUser("bob").tusCreate(1000, Map.of("title", "bob's")).statusCode()).isEqualTo(201);
		// Ending one makes room again.
		String location = first.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		assertThat(alice.send("DELETE", "/api/gallery/videos/" + id, null).statusCode()).isEqualTo(204);
		assertThat(alice.tusCreate(1000, Map.of("title", "three again")).statusCode()).isEqualTo(201);
	}

	@Test
	void anAccountHasAtMostItsVideos() throws Exception {
		ApiClient carol = newUser("carol");
		for (int i = 0; i < 3; i++) {
			assertThat(carol.multipart(Media.real("mp4_minimal_62ms.mp4"), "clip " + i, "PUBLIC").statusCode()).isEqualTo(201);
		}
		HttpResponse<String> fourth = carol.multipart(Media.real("mp4_minimal_62ms.mp4"), "clip 4", "PUBLIC");
		assertThat(fourth.statusCode()).isEqualTo(422);
		assertThat(ApiClient.json(fourth).path("error").asString()).isEqualTo("video_quota_exceeded");
		JsonNode own = ApiClient.json(carol.get("/api/gallery/videos?owner=me"));
		assertThat(own.path("total").asInt()).isEqualTo(3);
	}

	@Test
	void anAccountStoresAtMostItsBytes() throws Exception {
		HttpResponse<String> big = newUser("dave").tusCreate(11L * 1024 * 1024 * 1024, Map.of("title", "eleven gigabytes"));
		assertThat(big.statusCode()).isEqualTo(422);
		assertThat(ApiClient.json(big).path("error").asString()).isEqualTo("storage_quota_exceeded");
	}

	@Test
	void anUploadThatWouldFillTheDiskIsRefusedForNow() throws Exception {
		HttpResponse<String> refused = newUser("erin").tusCreate(5L * 1024 * 1024 * 1024, Map.of("title", "five gigabytes"));
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("insufficient_storage");
	}
}
