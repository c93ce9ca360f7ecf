package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What is not playable media is refused with a reason and leaves nothing behind. */
class RejectedUploadIntegrationTests extends AppIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path files;

	@Test
	void refusesTextPictureAndTruncatedVideoWith415AndKeepsNothing() throws Exception {
		ApiClient alice = newUser("alice");
		Path text = Files.writeString(files.resolve("notes.mp4"), "This is a text file pretending to be a video.\n".repeat(50));
		Path png = files.resolve("picture.png");
		BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
		image.setRGB(10, 10, 0xff0000);
		ImageIO.write(image, "png", png.toFile());
		// The first half of a real MP4 whose index (moov) is at the end: what an interrupted copy leaves.
		byte[] whole = Files.readAllBytes(Media.real("long_362s_1080p_lowbitrate.mp4"));
		Path truncated = Files.write(files.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length / 2));

		// Other tests of this shared application may hold unfinished uploads of their own: only what
		// appears while this test runs is this test's (the application's tests run one at a time).
		List<Path> stagedBefore = list(data.resolve("uploads"));
		List<Path> spooledBefore = list(data.resolve("tmp"));
		List<Path> rejected = List.of(text, png, truncated, Media.real("mp4_header_only_262B.mp4"),
				Media.real("random_bytes_named.mp3"), Media.real("mkv_corrupt.mkv"), Media.real("vvc_h266_320x180_unsupported.mp4"));
		for (Path file : rejected) {
			var upload = alice.tusUpload(file, "bad " + file.getFileName(), "PUBLIC", 1024 * 1024);
			var last = upload.lastResponse();
			assertThat(last.statusCode()).as("%s by tus", file.getFileName()).isEqualTo(415);
			assertThat(ApiClient.json(last).path("error").asString()).isEqualTo("not_media");
			assertThat(ApiClient.json(last).path("message").asString()).as("a reason").isNotBlank();
			assertThat(alice.get("/api/gallery/videos/" + upload.videoId()).statusCode()).isEqualTo(404);
			assertNothingStoredFor(upload.videoId());

			var multipart = alice.multipart(file, "bad", "PUBLIC");
			assertThat(multipart.statusCode()).as("%s by multipart", file.getFileName()).isEqualTo(415);
		}
		var own = ApiClient.json(alice.get("/api/gallery/videos?owner=me"));
		assertThat(own.path("total").asInt()).as("no video was kept: " + own).isZero();
		assertThat(list(data.resolve("uploads"))).as("no staged bytes of refused uploads").containsExactlyInAnyOrderElementsOf(stagedBefore);
		assertThat(list(data.resolve("tmp"))).as("no spooled multipart bodies").containsExactlyInAnyOrderElementsOf(spooledBefore);
	}

	private static List<Path> list(Path folder) throws Exception {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.toList();
		}
	}

	@Test
	void fileThatProbesButCannotBeDecodedEndsFailedWithAReason() throws Exception {
		ApiClient bob = newUser("bob");
		var upload = bob.tusUpload(Media.real("vp9_invalid_bitstream.webm"), "broken", "PUBLIC", 1024 * 1024);
		assertThat(upload.lastResponse().statusCode()).isEqualTo(204);
		var video = bob.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).isEqualTo("FAILED");
		// Viewers get a plain sentence; ffmpeg's own words are for the owner and administrators (the job's error).
		assertThat(video.path("error").asString()).as("plain reason").isEqualTo(
				"The file is damaged or uses a format this site cannot convert.");
		assertThat(video.path("qualities").size()).isZero();
		// The file's own fault: one attempt, dead-lettered at once, with ffmpeg's words kept for the owner and admins.
		var job = jdbc.sql("SELECT attempts, state, last_error FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(upload.videoId())
				.query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))).single();
		assertThat(job.get(0)).isEqualTo("1");
		assertThat(job.get(1)).isEqualTo("DEAD");
		assertThat(job.get(2)).contains("vp9");
		assertThat(Files.exists(data.resolve("blobs/renditions").resolve(upload.videoId()))).as("no renditions").isFalse();
		assertThat(bob.get("/api/stream/" + upload.videoId() + "/master.m3u8").statusCode()).isEqualTo(404);

		// Its owner can delete it, and then every byte is gone.
		assertThat(bob.send("DELETE", "/api/gallery/videos/" + upload.videoId(), null).statusCode()).isEqualTo(204);
		assertNothingStoredFor(upload.videoId());
	}

	private void assertNothingStoredFor(String id) throws Exception {
		try (Stream<Path> all = Files.walk(data)) {
			assertThat(all.filter(p -> p.toString().contains(id)).toList()).as("files of %s", id).isEmpty();
		}
	}
}
