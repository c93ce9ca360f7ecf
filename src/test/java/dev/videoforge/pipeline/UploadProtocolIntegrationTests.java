package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** tus 1.0.0 as any tus client speaks it, and the multipart route for scripts. */
class UploadProtocolIntegrationTests extends AppIntegrationTest {

	private static final Path CLIP = Media.real("h264_videoonly_noaudio.mp4");

	@Autowired
	JdbcClient jdbc;

	@Test
	void optionsAdvertisesVersionExtensionsAndMaximumSize() throws Exception {
		var response = anonymous().raw(anonymous().request("/api/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isIn(200, 204);
		assertThat(response.headers().firstValue("Tus-Version")).hasValue("1.0.0");
		assertThat(response.headers().firstValue("Tus-Extension").orElseThrow()).contains("creation", "termination", "checksum");
		assertThat(response.headers().firstValue("Tus-Max-Size")).hasValue(String.valueOf(300L * 1024 * 1024));
		assertThat(response.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow()).contains("sha1");
	}

	@Test
	void refusesUploadsWithoutTokenOrWithAnotherProtocolVersion() throws Exception {
		var anonymousCreate = anonymous().tusCreate(1000, Map.of("filename", "a.mp4"));
		assertThat(anonymousCreate.statusCode()).isEqualTo(401);
		assertThat(ApiClient.json(anonymousCreate).path("error").asString()).isEqualTo("unauthenticated");

		ApiClient bob = newUser("bob");
		var oldVersion = bob.raw(bob.request("/api/uploads").header("Tus-Resumable", "0.2.2").header("Upload-Length", "10")
				.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(oldVersion.statusCode()).isEqualTo(412);
		assertThat(oldVersion.headers().firstValue("Tus-Version")).hasValue("1.0.0");
	}

	@Test
	void refusesAnUploadLargerThanTheMaximumWith413() throws Exception {
		ApiClient bob = newUser("bob");
		var response = bob.tusCreate(301L * 1024 * 1024, Map.of("filename", "huge.mp4"));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(ApiClient.json(response).path("error").asString()).isEqualTo("too_large");
	}

	@Test
	void resumesAtTheOffsetTheServerHasAndRefusesAWrongOffsetOrChecksum() throws Exception {
		ApiClient carol = newUser("carol");
		byte[] bytes = Files.readAllBytes(CLIP);
		var created = carol.tusCreate(bytes.length, Map.of("filename", "resume.mp4", "title", "Resumed", "visibility", "PRIVATE"));
		assertThat(created.statusCode()).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches("/api/uploads/[0-9a-z]{16}");
		assertThat(created.headers().firstValue("Tus-Resumable")).hasValue("1.0.0");

		byte[] first = Arrays.copyOfRange(bytes, 0, 40_000);
		assertThat(carol.tusPatch(location, 0, first, sha1(first)).statusCode()).isEqualTo(204);

		// The connection dropped: the client asks where to go on.
		var head = carol.tusHead(location);
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Upload-Offset")).hasValue("40000");
		assertThat(head.headers().firstValue("Upload-Length")).hasValue(String.valueOf(bytes.length));
		assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");

		byte[] second = Arrays.copyOfRange(bytes, 40_000, 60_000);
		var wrongOffset = carol.tusPatch(location, 30_000, second, null);
		assertThat(wrongOffset.statusCode()).isEqualTo(409);

		var corrupted = second.clone();
		corrupted[5] ^= 0x55;
		var mismatch = carol.tusPatch(location, 40_000, corrupted, sha1(second));
		assertThat(mismatch.statusCode()).isEqualTo(460);
		assertThat(carol.tusHead(location).headers().firstValue("Upload-Offset")).as("bad chunk not stored").hasValue("40000");

		var wrongType = carol.raw(carol.request(location).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "40000")
				.header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(second)));
		assertThat(wrongType.statusCode()).isEqualTo(415);

		// Someone else cannot see or touch the upload.
		ApiClient mallory = newUser("mallory");
		assertThat(mallory.tusHead(location).statusCode()).isEqualTo(404);
		assertThat(mallory.tusPatch(location, 40_000, second, null).statusCode()).isEqualTo(404);

		byte[] rest = Arrays.copyOfRange(bytes, 40_000, bytes.length);
		var last = carol.tusPatch(location, 40_000, rest, sha1(rest));
		assertThat(last.statusCode()).isEqualTo(204);
		assertThat(last.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(bytes.length));

		// A client that did not see the answer sends the final chunk again: same answer, no second job.
		var again = carol.tusPatch(location, 40_000, rest, null);
		assertThat(again.statusCode()).isEqualTo(409);
		var repeatedFinal = carol.tusPatch(location, bytes.length, new byte[0], null);
		assertThat(repeatedFinal.statusCode()).isEqualTo(204);
		assertThat(repeatedFinal.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(bytes.length));

		String id = location.substring(location.lastIndexOf('/') + 1);
		var video = carol.awaitFinal(id, Duration.ofMinutes(2));
		assertThat(video.path("status").asString()).isEqualTo("READY");
		assertThat(video.path("title").asString()).isEqualTo("Resumed");
		assertThat(video.path("visibility").asString()).isEqualTo("PRIVATE");
		assertThat(jdbc.sql("SELECT COUNT(*) FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(id).query(Long.class).single())
				.as("one transcode job").isEqualTo(1);

		// Uploaded bytes are exactly the file's.
		Path original = data.resolve("blobs/originals").resolve(id);
		assertThat(Files.readAllBytes(original)).isEqualTo(bytes);
	}

	@Test
	void strangeFileNamesAreCleanedNotRefused() throws Exception {
		ApiClient hal = newUser("hal");
		var traversal = hal.tusCreate(1000, Map.of("filename", "../../etc/passwd"));
		assertThat(traversal.statusCode()).isEqualTo(201);
		String location = traversal.headers().firstValue("Location").orElseThrow();
		var head = hal.tusHead(location);
		assertThat(head.headers().firstValue("Upload-Metadata").orElseThrow())
				.contains("filename " + Base64.getEncoder().encodeToString("passwd".getBytes()));
		terminate(hal, location);
		for (String name : new String[] { "/", "a\u0000b.mp4", "x".repeat(400) + ".mp4", "\t\n" }) {
			var created = hal.tusCreate(1000, Map.of("filename", name));
			assertThat(created.statusCode()).as("file name %s", name.length() > 20 ? name.substring(0, 20) : name).isEqualTo(201);
			terminate(hal, created.headers().firstValue("Location").orElseThrow());
		}
	}

	@Test
	void aRefusedFirstChunkInTheCreationLeavesNoUploadBehind() throws Exception {
		ApiClient ivy = newUser("ivy");
		byte[] chunk = Files.readAllBytes(CLIP);
		var refused = ivy.raw(ivy.request("/api/uploads").header("Tus-Resumable", "1.0.0")
				.header("Upload-Length", String.valueOf(chunk.length)).header("Content-Type", "application/offset+octet-stream")
				.header("Upload-Checksum", "sha1 " + Base64.getEncoder().encodeToString(new byte[20]))
				.header("Upload-Metadata", "title " + Base64.getEncoder().encodeToString("refused".getBytes()))
				.POST(HttpRequest.BodyPublishers.ofByteArray(chunk)));
		assertThat(refused.statusCode()).isEqualTo(460);
		assertThat(ApiClient.json(ivy.get("/api/gallery/videos?q=refused")).path("items").toString())
				.doesNotContain("\"title\":\"refused\"");
		var badHeader = ivy.raw(ivy.request("/api/uploads").header("Tus-Resumable", "1.0.0").header("Upload-Length", "10")
				.header("Upload-Checksum", "crc32 AAAA").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(badHeader.statusCode()).isEqualTo(400);
	}

	@Test
	void terminationRemovesTheUploadAndItsBytes() throws Exception {
		ApiClient dave = newUser("dave");
		var created = dave.tusCreate(100_000, Map.of("filename", "gone.mp4"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		assertThat(dave.tusPatch(location, 0, new byte[50_000], null).statusCode()).isEqualTo(204);
		// The chunk is staged in storage, where any gateway finds it.
		Path pieces = data.resolve("blobs/uploads").resolve(id);
		try (var staged = Files.list(pieces)) {
			assertThat(staged.toList()).hasSize(1).allSatisfy(p -> assertThat(Files.size(p)).isEqualTo(50_000));
		}

		var deleted = dave.raw(dave.request(location).header("Tus-Resumable", "1.0.0").DELETE());
		assertThat(deleted.statusCode()).isEqualTo(204);
		assertThat(dave.tusHead(location).statusCode()).isEqualTo(404);
		assertThat(dave.get("/api/gallery/videos/" + id).statusCode()).isEqualTo(404);
		assertThat(pieces).doesNotExist();
	}

	@Test
	void creationWithUploadTakesTheFirstChunkInThePost() throws Exception {
		ApiClient erin = newUser("erin");
		byte[] bytes = Files.readAllBytes(CLIP);
		var created = erin.raw(erin.request("/api/uploads").header("Tus-Resumable", "1.0.0")
				.header("Upload-Length", String.valueOf(bytes.length)).header("Content-Type", "application/offset+octet-stream")
				.POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(bytes, 1000))));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Upload-Offset")).hasValue("1000");
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(erin.tusPatch(location, 1000, Arrays.copyOfRange(bytes, 1000, bytes.length), null).statusCode()).isEqualTo(204);
		String id = location.substring(location.lastIndexOf('/') + 1);
		var video = erin.awaitFinal(id, Duration.ofMinutes(2));
		assertThat(video.path("status").asString()).isEqualTo("READY");
		assertThat(video.path("title").asString()).as("title defaults to the file name").isEqualTo("Untitled video");
	}

	@Test
	void multipartUploadCreatesAQueuedVideo() throws Exception {
		ApiClient frank = newUser("frank");
		var response = frank.multipart(Media.real("mp3_vbr_xing.mp3"), "A song", "UNLISTED");
		assertThat(response.statusCode()).isEqualTo(201);
		var video = ApiClient.json(response);
		assertThat(video.path("title").asString()).isEqualTo("A song");
		assertThat(video.path("visibility").asString()).isEqualTo("UNLISTED");
		assertThat(video.path("status").asString()).isIn("QUEUED", "PROCESSING", "READY");
		assertThat(video.path("owner").path("username").asString()).startsWith("frank");
		var done = frank.awaitFinal(video.path("id").asString(), Duration.ofMinutes(2));
		assertThat(done.path("status").asString()).isEqualTo("READY");
		assertThat(done.path("qualities").toString()).isEqualTo("[\"audio\"]");

		var missingFile = frank.raw(frank.request("/api/videos").header("Content-Type", "multipart/form-data; boundary=x")
				.POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nno file\r\n--x--\r\n")));
		assertThat(missingFile.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(missingFile).path("error").asString()).isEqualTo("missing_file");
	}

	private static void terminate(ApiClient client, String location) throws Exception {
		assertThat(client.raw(client.request(location).header("Tus-Resumable", "1.0.0").DELETE()).statusCode()).isEqualTo(204);
	}

	private static String sha1(byte[] bytes) throws Exception {
		return "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
	}
}
