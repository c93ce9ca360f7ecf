package dev.videoforge.upload.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The gateway's start-up reconciliation: an upload whose bytes all arrived, but which a crash
 * stopped before it was queued, is finished; one still missing bytes is left to its client.
 */
class UploadRecoveryIntegrationTests extends AppIntegrationTest {

	@TempDir
	static Path temp;

	static Path clip;

	@Autowired
	UploadRecovery recovery;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	UploadPieces pieces;

	@BeforeAll
	static void clip() throws Exception {
		clip = Media.testClip(temp.resolve("clip.mp4"), "320x240", 1);
	}

	private String create(ApiClient owner, long length) throws Exception {
		var created = owner.tusCreate(length, Map.of("filename", "clip.mp4", "title", "recovered"));
		assertThat(created.statusCode()).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	@Test
	void anUploadWhoseBytesAllArrivedButWasNotQueuedIsFinishedAndOneStillMissingBytesIsLeft() throws Exception {
		ApiClient owner = newUser("uprec");
		long length = Files.size(clip);
		// Every byte staged as pieces (the process died before probing), and every byte stored (it
		// died before queueing).
		String staged = create(owner, length);
		byte[] bytes = Files.readAllBytes(clip);
		int half = bytes.length / 2;
		pieces.add(staged, 0, half, Files.write(temp.resolve("first"), java.util.Arrays.copyOfRange(bytes, 0, half)));
		pieces.add(staged, half, bytes.length - half,
				Files.write(temp.resolve("second"), java.util.Arrays.copyOfRange(bytes, half, bytes.length)));
		String stored = create(owner, length);
		Files.createDirectories(data.resolve("blobs/originals"));
		Files.copy(clip, data.resolve("blobs/originals").resolve(stored));
		String partial = create(owner, length);
		assertThat(owner.tusPatch("/api/uploads/" + partial, 0, new byte[1000], null).statusCode()).isEqualTo(204);

		assertThat(recovery.recover()).isGreaterThanOrEqualTo(2);
		recovery.recover(); // a second process starting: nothing happens twice

		for (String id : new String[] { staged, stored }) {
			assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).as(id).isEqualTo("READY");
		}
		for (String id : new String[] { staged, stored }) {
			assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(id).query(Long.class).single()).isEqualTo(1);
		}
		assertThat(data.resolve("blobs/uploads").resolve(staged)).as("pieces of the finished upload").doesNotExist();
		var head = owner.tusHead("/api/uploads/" + partial);
		assertThat(head.headers().firstValue("Upload-Offset")).hasValue("1000");
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + partial)).path("status").asString()).isEqualTo("UPLOADING");
	}
}
