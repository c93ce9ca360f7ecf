package dev.videoforge.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The owner's poster (issue #12): a frame picked by time, or an uploaded JPEG, PNG or WebP redrawn
 * as our own JPEG of the poster's size under a new URL; everything else an upload can be refused.
 * The source is red for two seconds, then blue, so a picture's colour says which time it shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostersIntegrationTests extends AppIntegrationTest {

	ApiClient owner;
	String id;
	Path folder;

	@BeforeAll
	void upload() throws Exception {
		owner = newUser("poster");
		folder = Files.createTempDirectory("posters-it-");
		Path clip = folder.resolve("red-then-blue.mp4");
		ffmpeg("-f", "lavfi", "-i", "color=c=red:size=640x360:rate=30:duration=2", "-f", "lavfi", "-i",
				"color=c=blue:size=640x360:rate=30:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4",
				"-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]", "-map", "[v]", "-map", "2:a", "-c:v", "libx264",
				"-preset", "ultrafast", "-c:a", "aac", clip.toString());
		id = owner.tusUpload(clip, "red then blue", "PUBLIC", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("READY");
	}

	private static void ffmpeg(String... args) throws Exception {
		List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
		command.addAll(List.of(args));
		Media.Run run = Media.run(command, 120);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
	}

	private JsonNode video() throws Exception {
		return ApiClient.json(owner.get("/api/gallery/videos/" + id));
	}

	private BufferedImage poster(String url, byte[] notThese) throws Exception {
		HttpResponse<byte[]> response = anonymous().getBytes(url);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/jpeg");
		byte[] bytes = response.body();
		assertThat(bytes.length).isGreaterThan(100);
		assertThat(Arrays.copyOf(bytes, 3)).as("a JPEG").isEqualTo(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF });
		if (notThese != null) {
			assertThat(bytes).as("never the uploaded bytes").isNotEqualTo(notThese);
		}
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
		assertThat(image).as("decodes").isNotNull();
		return image;
	}

	/** Mean red, green and blue of the picture, 0..255. */
	private static double[] mean(BufferedImage image) {
		double[] sum = new double[3];
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y);
				sum[0] += (rgb >> 16) & 0xff;
				sum[1] += (rgb >> 8) & 0xff;
				sum[2] += rgb & 0xff;
			}
		}
		double n = (double) image.getWidth() * image.getHeight();
		return new double[] { sum[0] / n, sum[1] / n, sum[2] / n };
	}

	private static void assertColour(BufferedImage image, int channel) {
		double[] rgb = mean(image);
		for (int c = 0; c < 3; c++) {
			if (c == channel) {
				assertThat(rgb[c]).as("channel %d of %s", c, Arrays.toString(rgb)).isGreaterThan(180);
			}
			else {
				assertThat(rgb[c]).as("channel %d of %s", c, Arrays.toString(rgb)).isLessThan(70);
			}
		}
	}

	@Test
	@Order(1)
	void aFrameChosenByTimeBecomesThePosterUnderANewUrl() throws Exception {
		JsonNode before = video();
		String old = before.path("thumbnailUrl").asString();
		assertThat(old).endsWith("/thumbnail.jpg");
		BufferedImage first = poster(old, null);
		assertColour(first, 0);

		var chosen = owner.send("POST", "/api/gallery/videos/" + id + "/thumbnail", Map.of("atSeconds", 3.0));
		assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
		String url = ApiClient.json(chosen).path("thumbnailUrl").asString();
		assertThat(url).isNotEqualTo(old).matches("/api/stream/" + id + "/poster-[0-9a-z]{16}\\.jpg");
		assertThat(video().path("thumbnailUrl").asString()).isEqualTo(url);
		BufferedImage blue = poster(url, null);
		assertThat(blue.getWidth()).as("the transcoder's poster size").isEqualTo(first.getWidth());
		assertThat(blue.getHeight()).isEqualTo(first.getHeight());
		assertThat(blue.getWidth()).isEqualTo(640);
		assertColour(blue, 2);

		double end = video().path("durationSeconds").asDouble();
		assertThat(end).isBetween(3.9, 4.1);
		var last = owner.send("POST", "/api/gallery/videos/" + id + "/thumbnail", Map.of("atSeconds", end - 0.005));
		assertThat(last.statusCode()).as("the video's last instant: %s", last.body()).isEqualTo(200);
		assertColour(poster(ApiClient.json(last).path("thumbnailUrl").asString(), null), 2);

		var back = owner.send("POST", "/api/gallery/videos/" + id + "/thumbnail", Map.of("atSeconds", 0.5));
		String red = ApiClient.json(back).path("thumbnailUrl").asString();
		assertThat(red).isNotEqualTo(url).isNotEqualTo(old);
		assertColour(poster(red, null), 0);
		assertThat(anonymous().get(url).statusCode()).as("the replaced poster is removed").isEqualTo(404);
	}

	@Test
	void timesOutsideTheVideoAndOtherCallersAreRefused() throws Exception {
		String path = "/api/gallery/videos/" + id + "/thumbnail";
		String before = video().path("thumbnailUrl").asString();
		for (Object at : List.of(-1, 4.5, 100, "soon")) {
			var refused = owner.send("POST", path, Map.of("atSeconds", at));
			assertThat(refused.statusCode()).as("atSeconds %s: %s", at, refused.body()).isEqualTo(400);
			assertThat(ApiClient.json(refused).path("error").asString()).isNotBlank();
		}
		assertThat(owner.send("POST", path, Map.of()).statusCode()).isEqualTo(400);
		assertThat(newUser("posterstranger").send("POST", path, Map.of("atSeconds", 1)).statusCode()).isEqualTo(403);
		assertThat(anonymous().send("POST", path, Map.of("atSeconds", 1)).statusCode()).isEqualTo(401);
		assertThat(owner.send("POST", "/api/gallery/videos/0000000000000000/thumbnail", Map.of("atSeconds", 1)).statusCode())
				.isEqualTo(404);
		assertThat(video().path("thumbnailUrl").asString()).isEqualTo(before);
	}

	@Test
	void uploadedImagesBecomeOurOwnJpeg() throws Exception {
		for (String format : List.of("png", "webp", "jpg")) {
			Path image = folder.resolve("green." + format);
			ffmpeg("-f", "lavfi", "-i", "color=c=0x00FF00:size=800x800", "-frames:v", "1", image.toString());
			byte[] sent = Files.readAllBytes(image);
			String before = video().path("thumbnailUrl").asString();
			var response = upload(image, sent);
			assertThat(response.statusCode()).as("%s: %s", format, response.body()).isEqualTo(200);
			String url = ApiClient.json(response).path("thumbnailUrl").asString();
			assertThat(url).isNotEqualTo(before);
			BufferedImage poster = poster(url, sent);
			assertThat(poster.getWidth()).as("cropped to the poster's size").isEqualTo(640);
			assertThat(poster.getHeight()).isEqualTo(360);
			assertColour(poster, 1);
		}
	}

	@Test
	void hostileImagesAreRefused() throws Exception {
		Path gif = folder.resolve("a.gif");
		ffmpeg("-f", "lavfi", "-i", "color=c=white:size=64x64", "-frames:v", "1", gif.toString());
		Path png = folder.resolve("whole.png");
		ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", png.toString());
		Path jpg = folder.resolve("whole.jpg");
		ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", jpg.toString());
		byte[] pngBytes = Files.readAllBytes(png);
		byte[] jpgBytes = Files.readAllBytes(jpg);
		Map<String, byte[]> attacks = new java.util.LinkedHashMap<>();
		attacks.put("plain text", "just some words, not a picture\n".getBytes(StandardCharsets.UTF_8));
		attacks.put("HTML", "<!DOCTYPE html><html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
		attacks.put("SVG", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script></svg>"
				.getBytes(StandardCharsets.UTF_8));
		attacks.put("GIF", Files.readAllBytes(gif));
		attacks.put("truncated PNG", Arrays.copyOf(pngBytes, pngBytes.length / 2));
		attacks.put("truncated JPEG", Arrays.copyOf(jpgBytes, jpgBytes.length / 2));
		attacks.put("10000x10000 PNG (100 megapixels)", bomb(10_000));
		attacks.put("20000x20000 PNG (decompression bomb)", bomb(20_000));
		attacks.put("a video", Files.readAllBytes(Media.real("mp4_minimal_62ms.mp4")));
		attacks.put("empty PNG header", Arrays.copyOf(pngBytes, 8));
		String before = video().path("thumbnailUrl").asString();
		for (var attack : attacks.entrySet()) {
			var refused = upload(folder.resolve("attack-" + UUID.randomUUID()), attack.getValue());
			assertThat(refused.statusCode()).as("%s: %s", attack.getKey(), refused.body()).isEqualTo(415);
			assertThat(ApiClient.json(refused).path("error").asString()).as(attack.getKey()).isEqualTo("unsupported_media");
			assertThat(ApiClient.json(refused).path("message").asString()).as(attack.getKey()).isNotBlank();
		}
		byte[] huge = new byte[11 * 1024 * 1024];
		System.arraycopy(pngBytes, 0, huge, 0, pngBytes.length);
		var tooLarge = upload(folder.resolve("huge.png"), huge);
		assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
		assertThat(ApiClient.json(tooLarge).path("error").asString()).isEqualTo("too_large");
		// Declared over the image limit: refused before the body is read (the test server allows 300 MB uploads).
		try (var socket = new java.net.Socket("127.0.0.1", port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(("POST /api/gallery/videos/" + id + "/thumbnail HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Authorization: Bearer " + owner.token() + "\r\nContent-Type: multipart/form-data; boundary=x\r\n"
					+ "Content-Length: " + (200L << 20) + "\r\n\r\n--x\r\n").getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
					.readLine();
			assertThat(status).as("a 200 MB body declared (under the upload limit, over the image limit)").startsWith("HTTP/1.1 413");
		}
		assertThat(video().path("thumbnailUrl").asString()).as("the poster is unchanged").isEqualTo(before);
		ApiClient thief = newUser("posterthief");
		assertThat(thief.raw(multipart(thief.token(), png, pngBytes)).statusCode()).isEqualTo(403);
	}

	@Test
	void onlyAReadyVideoWithPicturesGetsAPoster() throws Exception {
		var created = owner.tusCreate(1000, Map.of("filename", "later.mp4", "title", "not yet"));
		String unfinished = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
		var early = owner.send("POST", "/api/gallery/videos/" + unfinished + "/thumbnail", Map.of("atSeconds", 0));
		assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
	}

	/** A PNG of size x size black pixels: a few hundred kilobytes that claim gigabytes once decoded. */
	private static byte[] bomb(int size) throws Exception {
		java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
		png.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(size).putInt(size).put((byte) 8).put((byte) 2)
				.put((byte) 0).put((byte) 0).put((byte) 0);
		chunk(png, "IHDR", header.array());
		java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
		try (var deflate = new java.util.zip.DeflaterOutputStream(data, new java.util.zip.Deflater(9))) {
			byte[] row = new byte[1 + size * 3];
			for (int y = 0; y < size; y++) {
				deflate.write(row);
			}
		}
		chunk(png, "IDAT", data.toByteArray());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(type.getBytes(StandardCharsets.US_ASCII));
		crc.update(data);
		out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
		out.write(type.getBytes(StandardCharsets.US_ASCII));
		out.write(data);
		out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private HttpResponse<String> upload(Path name, byte[] bytes) throws Exception {
		return owner.raw(multipart(owner.token(), name, bytes));
	}

	private HttpRequest.Builder multipart(String token, Path name, byte[] bytes) {
		String boundary = "vf" + UUID.randomUUID();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name.getFileName()
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		return HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/gallery/videos/" + id + "/thumbnail"))
				.timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, bytes, tail)));
	}
}
