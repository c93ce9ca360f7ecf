package dev.videoforge.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * MP4 downloads (issue #12): off until the owner turns them on, then each quality as a faststart
 * MP4 that decodes to the rendition's frames and sound, with Range, HEAD, a safe
 * Content-Disposition, signed like every file of a non-PUBLIC video, and off again at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DownloadsIntegrationTests extends AppIntegrationTest {

	ApiClient owner;
	ApiClient stranger;
	ApiClient nobody;
	String id;
	Path clip;

	@BeforeAll
	void upload() throws Exception {
		owner = newUser("dlowner");
		stranger = newUser("dlstranger");
		nobody = anonymous();
		clip = Files.createTempDirectory("downloads-it-").resolve("clip.mp4");
		Media.testClip(clip, "640x360", 4);
		id = owner.tusUpload(clip, "Holiday \"clip\"; part 1", "UNLISTED", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("READY");
	}

	private JsonNode qualities(ApiClient client) throws Exception {
		var response = client.get("/api/stream/" + id + "/qualities");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ApiClient.json(response);
	}

	/** The query string of the master URL: the signature that opens every file of the video. */
	private String signature() throws Exception {
		String master = qualities(owner).path("masterUrl").asString();
		return master.substring(master.indexOf('?') + 1);
	}

	@Test
	@Order(10)
	void downloadsAreOffUntilTheOwnerTurnsThemOn() throws Exception {
		JsonNode video = ApiClient.json(owner.get("/api/gallery/videos/" + id));
		assertThat(video.path("downloadable").isBoolean()).as("%s", video).isTrue();
		assertThat(video.path("downloadable").asBoolean()).as("the default (videoforge.catalog.downloadable-by-default)").isFalse();
		JsonNode list = qualities(owner).path("qualities");
		assertThat(list.size()).as("qualities of a 640x360 source").isGreaterThanOrEqualTo(2);
		list.forEach(q -> assertThat(q.path("downloadUrl").isNull()).as("%s", q).isTrue());
		String name = list.get(0).path("name").asString();
		var refused = nobody.get("/api/stream/" + id + "/download?quality=" + name + "&" + signature());
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("not_downloadable");
		assertThat(owner.get("/api/stream/" + id + "/download").statusCode()).as("the owner too").isEqualTo(404);

		var notTheirs = stranger.send("PATCH", "/api/gallery/videos/" + id, Map.of("downloadable", true));
		assertThat(notTheirs.statusCode()).isEqualTo(403);
		var on = owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("downloadable", true));
		assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
		assertThat(ApiClient.json(on).path("downloadable").asBoolean()).isTrue();
		assertThat(ApiClient.json(on).path("title").asString()).as("other fields kept").isEqualTo("Holiday \"clip\"; part 1");
	}

	@Test
	@Order(20)
	void everyQualityDownloadsAsAFaststartMp4ThatDecodesLikeItsRendition() throws Exception {
		Renditions.Decoded source = Renditions.decode(clip.toString());
		JsonNode list = qualities(owner).path("qualities");
		assertThat(list.size()).isGreaterThanOrEqualTo(2);
		Path folder = Files.createTempDirectory("downloads-");
		for (JsonNode quality : list) {
			String name = quality.path("name").asString();
			String url = quality.path("downloadUrl").asString();
			assertThat(url).startsWith("/api/stream/" + id + "/download?exp=").contains("&sig=").endsWith("&quality=" + name);

			HttpResponse<byte[]> response = nobody.getBytes(url);
			assertThat(response.statusCode()).as("%s: %s", name, new String(response.body())).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("video/mp4");
			assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).isEqualTo(
					"attachment; filename=\"Holiday-clip-part-1-" + name + ".mp4\"; filename*=UTF-8''Holiday%20-clip-%20part%201-"
							+ name + ".mp4");
			assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("private, no-cache");
			String etag = response.headers().firstValue("ETag").orElseThrow();
			byte[] mp4 = response.body();
			List<String> boxes = topLevelBoxes(mp4);
			assertThat(boxes).as("top-level boxes of %s", name).contains("ftyp", "moov", "mdat");
			assertThat(boxes.indexOf("moov")).as("faststart: moov before mdat in %s", boxes).isLessThan(boxes.indexOf("mdat"));

			Path file = folder.resolve(name + ".mp4");
			Files.write(file, mp4);
			Renditions.Decoded downloaded = Renditions.decode(file.toString());
			Renditions.Decoded rendition = Renditions.decode(
					"http://127.0.0.1:" + port + quality.path("url").asString());
			// The sound comes from the default audio rendition, which every quality plays with.
			Renditions.Decoded sound = Renditions.decode("http://127.0.0.1:" + port
					+ quality.path("url").asString().replace(name + "/index.m3u8", "audio/index.m3u8"));
			assertThat(downloaded.errors()).as("%s", downloaded).isBlank();
			assertThat(downloaded.hasVideo()).as("%s", downloaded).isTrue();
			assertThat(downloaded.hasAudio()).as("%s", downloaded).isTrue();
			assertThat(downloaded.video().frames()).as("frames of %s vs its rendition %s", downloaded, rendition)
					.isEqualTo(rendition.video().frames());
			assertThat(downloaded.audio().samples()).as("sound of %s vs the audio rendition %s", downloaded, sound)
					.isBetween(sound.audio().samples() - 2048, sound.audio().samples() + 2048);
			assertThat(downloaded.displayWidth()).isEqualTo(quality.path("width").asInt());
			assertThat(downloaded.displayHeight()).isEqualTo(quality.path("height").asInt());
			assertThat(downloaded.seconds()).as("%s vs the source %s", downloaded, source)
					.isBetween(source.seconds() - 0.2, source.seconds() + 0.2);

			HttpResponse<byte[]> part = nobody.getBytes(url, "Range", "bytes=100-1099");
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(part.headers().firstValue("Content-Range").orElseThrow()).isEqualTo("bytes 100-1099/" + mp4.length);
			assertThat(part.body()).isEqualTo(Arrays.copyOfRange(mp4, 100, 1100));
			assertThat(part.headers().firstValue("Content-Disposition")).isPresent();

			HttpResponse<byte[]> tail = nobody.getBytes(url, "Range", "bytes=-500", "If-Range", etag);
			assertThat(tail.statusCode()).isEqualTo(206);
			assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(mp4, mp4.length - 500, mp4.length));

			var head = nobody.raw(nobody.request(url).method("HEAD", HttpRequest.BodyPublishers.noBody()));
			assertThat(head.statusCode()).isEqualTo(200);
			assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow()).isEqualTo(mp4.length);
			assertThat(head.body()).isEmpty();

			HttpResponse<byte[]> again = nobody.getBytes(url, "If-None-Match", etag);
			assertThat(again.statusCode()).as("the same file, made once").isEqualTo(304);
		}
	}

	@Test
	@Order(15)
	void concurrentFirstRequestsShareOneWholeMp4() throws Exception {
		// A quality nobody has downloaded yet (the lowest; the test above starts with the top).
		JsonNode list = qualities(owner).path("qualities");
		String url = list.get(list.size() - 1).path("downloadUrl").asString();
		List<java.util.concurrent.Future<HttpResponse<byte[]>>> requests = new ArrayList<>();
		try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 4; i++) {
				requests.add(pool.submit(() -> nobody.getBytes(url)));
			}
		}
		assertThat(requests).hasSize(4);
		HttpResponse<byte[]> first = requests.get(0).get();
		assertThat(first.statusCode()).isEqualTo(200);
		for (var request : requests) {
			HttpResponse<byte[]> response = request.get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("ETag")).as("one MP4, made once").isEqualTo(first.headers().firstValue("ETag"));
			assertThat(response.body()).as("whole, never half-written").isEqualTo(first.body());
		}
		assertThat(topLevelBoxes(first.body())).contains("moov", "mdat");
	}

	@Test
	@Order(30)
	void withoutTopQualityTheBestIsSentAndUnknownQualitiesAreNotFound() throws Exception {
		JsonNode top = qualities(owner).path("qualities").get(0);
		String sig = signature();
		var best = nobody.getBytes("/api/stream/" + id + "/download?" + sig);
		assertThat(best.statusCode()).isEqualTo(200);
		assertThat(best.headers().firstValue("Content-Disposition").orElseThrow())
				.contains("-" + top.path("name").asString() + ".mp4\"");
		var unknown = nobody.get("/api/stream/" + id + "/download?quality=4320p&" + sig);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(unknown).path("error").asString()).isEqualTo("unknown_quality");
		// Stored beside the renditions, but never served by the stream file route, which has no downloadable check.
		assertThat(nobody.get("/api/stream/" + id + "/_download/" + top.path("name").asString() + ".mp4?" + sig).statusCode())
				.isEqualTo(404);
	}

	@Test
	@Order(40)
	void aNonPublicVideoNeedsItsSignatureOrTheOwnersToken() throws Exception {
		String path = "/api/stream/" + id + "/download";
		var unsigned = nobody.get(path);
		assertThat(unsigned.statusCode()).isEqualTo(403);
		assertThat(ApiClient.json(unsigned).path("error").asString()).isEqualTo("invalid_signature");
		String forged = signature().replaceAll("sig=[^&]+", "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		assertThat(nobody.get(path + "?" + forged).statusCode()).isEqualTo(403);
		assertThat(owner.getBytes(path).statusCode()).as("the owner's token").isEqualTo(200);

		String before = qualities(owner).path("qualities").get(0).path("downloadUrl").asString();
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("visibility", "PRIVATE")).statusCode()).isEqualTo(200);
		assertThat(nobody.get(before).statusCode()).as("a link signed before PRIVATE").isEqualTo(404);
		assertThat(stranger.get(path).statusCode()).isEqualTo(404);
		String after = qualities(owner).path("qualities").get(0).path("downloadUrl").asString();
		assertThat(nobody.getBytes(after).statusCode()).as("a link signed now").isEqualTo(200);
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("visibility", "UNLISTED")).statusCode()).isEqualTo(200);
	}

	@Test
	@Order(50)
	void aHostileTitleCannotBreakTheHeader() throws Exception {
		String title = "a\"b;c\\d/é 日本 \u202Egpj.exe";
		var renamed = owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("title", title));
		assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
		String url = qualities(owner).path("qualities").get(0).path("downloadUrl").asString();
		String name = qualities(owner).path("qualities").get(0).path("name").asString();
		var response = nobody.getBytes(url, "Range", "bytes=0-0");
		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.headers().allValues("Content-Disposition")).containsExactly("attachment; filename=\"a-b-c-d-e-gpj.exe-"
				+ name + ".mp4\"; filename*=UTF-8''a-b-c-d-%C3%A9%20%E6%97%A5%E6%9C%AC%20-gpj.exe-" + name + ".mp4");
	}

	@Test
	@Order(60)
	void turningDownloadsOffRefusesThemAtOnce() throws Exception {
		String url = qualities(owner).path("qualities").get(0).path("downloadUrl").asString();
		assertThat(nobody.getBytes(url).statusCode()).isEqualTo(200);
		var off = owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("downloadable", false));
		assertThat(ApiClient.json(off).path("downloadable").asBoolean()).isFalse();
		var refused = nobody.get(url);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("not_downloadable");
		assertThat(owner.get("/api/stream/" + id + "/download").statusCode()).isEqualTo(404);
		assertThat(qualities(owner).path("qualities").get(0).path("downloadUrl").isNull()).isTrue();
	}

	@Test
	@Order(70)
	void aPublicVideoDownloadsWithoutSignatureAndDeletingItRemovesTheMp4() throws Exception {
		String publicId = owner.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "tiny", "PUBLIC", 1 << 20).videoId();
		assertThat(owner.awaitFinal(publicId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(nobody.get("/api/stream/" + publicId + "/download").statusCode()).isEqualTo(404);
		owner.send("PATCH", "/api/gallery/videos/" + publicId, Map.of("downloadable", true));
		JsonNode quality = ApiClient.json(nobody.get("/api/stream/" + publicId + "/qualities")).path("qualities").get(0);
		assertThat(quality.path("downloadUrl").asString())
				.isEqualTo("/api/stream/" + publicId + "/download?quality=" + quality.path("name").asString());
		var mp4 = nobody.getBytes(quality.path("downloadUrl").asString());
		assertThat(mp4.statusCode()).isEqualTo(200);
		Path stored = data.resolve("blobs").resolve("renditions").resolve(publicId).resolve("_download");
		assertThat(stored).as("kept in the video's folder").isDirectory();
		assertThat(owner.send("DELETE", "/api/gallery/videos/" + publicId, null).statusCode()).isEqualTo(204);
		assertThat(stored).doesNotExist();
		assertThat(nobody.get("/api/stream/" + publicId + "/download").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(80)
	void anAudioOnlyVideoDownloadsItsSoundAndHasNoPosterToPick() throws Exception {
		Path sound = clip.resolveSibling("tone.m4a");
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
				"sine=frequency=330:sample_rate=48000:duration=3", "-c:a", "aac", sound.toString()), 60);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		String audioId = owner.tusUpload(sound, "tone", "PUBLIC", 1 << 20).videoId();
		assertThat(owner.awaitFinal(audioId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		owner.send("PATCH", "/api/gallery/videos/" + audioId, Map.of("downloadable", true));
		var response = nobody.getBytes("/api/stream/" + audioId + "/download");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).contains("tone-audio.mp4");
		Path file = Files.createTempDirectory("audio-download-").resolve("tone.mp4");
		Files.write(file, response.body());
		Renditions.Decoded decoded = Renditions.decode(file.toString());
		assertThat(decoded.hasVideo()).as("%s", decoded).isFalse();
		assertThat(decoded.hasAudio()).as("%s", decoded).isTrue();
		assertThat(decoded.audio().sampleSeconds()).as("%s", decoded).isBetween(2.9, 3.1);
		var poster = owner.send("POST", "/api/gallery/videos/" + audioId + "/thumbnail", Map.of("atSeconds", 1));
		assertThat(poster.statusCode()).as(poster.body()).isEqualTo(409);
		assertThat(ApiClient.json(poster).path("error").asString()).isEqualTo("no_picture");
	}

	/** The types of the file's top-level ISO BMFF boxes, in order. */
	static List<String> topLevelBoxes(byte[] file) {
		List<String> types = new ArrayList<>();
		ByteBuffer buffer = ByteBuffer.wrap(file);
		int offset = 0;
		while (offset + 8 <= file.length) {
			long size = Integer.toUnsignedLong(buffer.getInt(offset));
			types.add(new String(file, offset + 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
			if (size == 1) {
				size = buffer.getLong(offset + 8);
			}
			else if (size == 0) {
				size = file.length - offset;
			}
			if (size < 8) {
				throw new AssertionError("a box of " + size + " bytes at " + offset + " after " + types);
			}
			offset += (int) size;
		}
		assertThat(offset).as("the boxes %s fill the file", types).isEqualTo(file.length);
		return types;
	}
}
