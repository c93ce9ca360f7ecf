package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The core promise end to end: real files from phones and cameras go in by tus, come out as an
 * HLS ladder that ffmpeg itself can play back through the streaming API.
 */
class PipelineIntegrationTests extends AppIntegrationTest {

	/** The file and the qualities a viewer should get: never above the source, portrait kept portrait. */
	private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

	static {
		EXPECTED.put("android_portrait_4k60_h264_rot-90.mp4", List.of("2160p", "1440p", "1080p", "720p", "480p", "360p", "240p"));
		EXPECTED.put("pixel7_h264_1080p_rot180_videoonly.mp4", List.of("1080p", "720p", "480p", "360p", "240p"));
		EXPECTED.put("aac_mono_8khz.m4a", List.of("audio"));
		EXPECTED.put("h264_videoonly_noaudio.mp4", List.of("720p", "480p", "360p", "240p"));
		EXPECTED.put("vp9_odd_161x121.webm", List.of("120p"));
		EXPECTED.put("av1_10bit_hdr10_portrait_720x1280.mp4", List.of("720p", "480p", "360p", "240p"));
		EXPECTED.put("avchd_1080i_interlaced_h264_ac3.mts", List.of("1080p", "720p", "480p", "360p", "240p"));
	}

	@Test
	void transcodesRealPhoneAndCameraFilesIntoAPlayableLadder() throws Exception {
		ApiClient alice = newUser("alice");
		Map<String, String> ids = new LinkedHashMap<>();
		for (String file : EXPECTED.keySet()) {
			var upload = alice.tusUpload(Media.real(file), "Clip " + file, "PUBLIC", 256 * 1024);
			assertThat(upload.lastResponse().statusCode()).as("final PATCH of %s", file).isEqualTo(204);
			ids.put(file, upload.videoId());
		}

		SoftAssertions softly = new SoftAssertions();
		for (var entry : ids.entrySet()) {
			String file = entry.getKey();
			String id = entry.getValue();
			JsonNode video = alice.awaitFinal(id, Duration.ofMinutes(4));
			assertThat(video.path("status").asString()).as("%s: %s", file, video).isEqualTo("READY");
			checkVideo(softly, alice, file, id, video);
		}
		softly.assertAll();

		// Nothing is left in the processor's scratch space once the jobs are done.
		try (Stream<Path> work = Files.list(data.resolve("work"))) {
			assertThat(work.toList()).isEmpty();
		}
	}

	private void checkVideo(SoftAssertions softly, ApiClient client, String file, String id, JsonNode video)
			throws Exception {
		JsonNode source = Media.probe(Media.real(file).toString());
		double sourceDuration = Media.duration(source);
		boolean sourceHasVideo = Media.stream(source, "video") != null;
		boolean sourceHasAudio = Media.stream(source, "audio") != null;

		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		softly.assertThat(qualities).as("%s qualities", file).isEqualTo(EXPECTED.get(file));
		softly.assertThat(video.path("progress").asInt()).isEqualTo(100);
		softly.assertThat(video.path("durationSeconds").asDouble()).as("%s duration", file)
				.isCloseTo(sourceDuration, org.assertj.core.data.Offset.offset(0.25));

		var listing = ApiClient.json(client.get("/api/stream/" + id + "/qualities"));
		String master = client.get(listing.path("masterUrl").asString()).body();
		softly.assertThat(master).as("%s master", file).startsWith("#EXTM3U");

		for (JsonNode quality : listing.path("qualities")) {
			String name = quality.path("name").asString();
			String url = client.base() + quality.path("url").asString();
			softly.assertThat(master).as("%s master lists %s", file, name).contains(name + "/index.m3u8");
			JsonNode out = Media.probe(url);
			double outDuration = Media.duration(out);
			softly.assertThat(outDuration).as("%s %s duration vs source %s", file, name, sourceDuration)
					.isCloseTo(sourceDuration, org.assertj.core.data.Offset.offset(0.25));
			JsonNode outVideo = Media.stream(out, "video");
			JsonNode outAudio = Media.stream(out, "audio");
			softly.assertThat(outAudio != null).as("%s %s has audio", file, name).isEqualTo(sourceHasAudio);
			if (name.equals("audio")) {
				softly.assertThat(outVideo).as("audio-only has no picture").isNull();
				softly.assertThat(outAudio.path("codec_name").asString()).isEqualTo("aac");
			}
			else {
				softly.assertThat(sourceHasVideo).isTrue();
				int[] display = Media.displaySize(source);
				int width = outVideo.path("width").asInt();
				int height = outVideo.path("height").asInt();
				int shortSide = Math.min(width, height);
				softly.assertThat(name).as("%s rung name is its short side", file).isEqualTo(shortSide + "p");
				softly.assertThat(width).as("%s %s width %d", file, name, width).isEqualTo(quality.path("width").asInt());
				softly.assertThat(height).isEqualTo(quality.path("height").asInt());
				// Never upscaled, and the same shape (portrait stays portrait, after rotation).
				softly.assertThat(shortSide).as("%s %s no upscaling", file, name).isLessThanOrEqualTo(Math.min(display[0], display[1]));
				softly.assertThat(width >= height).as("%s %s orientation", file, name).isEqualTo(display[0] >= display[1]);
				softly.assertThat((double) width / height).as("%s %s aspect", file, name)
						.isCloseTo((double) display[0] / display[1], org.assertj.core.data.Offset.offset(0.04));
				softly.assertThat(width % 2 + height % 2).as("even sides").isZero();
				softly.assertThat(outVideo.path("codec_name").asString()).isEqualTo("h264");
				softly.assertThat(outVideo.path("pix_fmt").asString()).isEqualTo("yuv420p");
				if ("smpte2084".equals(Media.stream(source, "video").path("color_transfer").asString(""))) {
					softly.assertThat(outVideo.path("color_transfer").asString()).as("%s HDR tone-mapped to SDR", file)
							.isEqualTo("bt709");
				}
				// Upright: the pixels were turned, no rotation flag is left for the player to honour.
				softly.assertThat(outVideo.path("side_data_list").toString()).doesNotContain("rotation");
				softly.assertThat(master).as("%s master attributes", file)
						.containsPattern("BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,RESOLUTION=" + width + "x" + height
								+ ",FRAME-RATE=[0-9.]+,CODECS=\"avc1\\.[0-9a-f]{6}" + (sourceHasAudio ? ",mp4a\\.40\\.2" : "") + "\"\n"
								+ name + "/index.m3u8");
			}
			Media.Run decode = Media.decodeAll(url);
			softly.assertThat(decode.exitCode()).as("%s %s decodes: %s", file, name, decode.stderr()).isZero();
			softly.assertThat(decode.stderr()).as("%s %s decode errors", file, name).isBlank();
		}

		if (sourceHasVideo) {
			String thumbnail = video.path("thumbnailUrl").asString();
			var poster = client.getBytes(thumbnail);
			softly.assertThat(poster.statusCode()).isEqualTo(200);
			softly.assertThat(poster.headers().firstValue("Content-Type")).hasValue("image/jpeg");
			byte[] jpeg = poster.body();
			softly.assertThat(jpeg.length).isGreaterThan(100);
			softly.assertThat(new byte[] { jpeg[0], jpeg[1], jpeg[2] }).as("%s poster is a JPEG", file)
					.isEqualTo(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF });
			JsonNode posterProbe = Media.probe(client.base() + thumbnail);
			JsonNode picture = Media.stream(posterProbe, "video");
			softly.assertThat(picture.path("codec_name").asString()).isEqualTo("mjpeg");
			int[] display = Media.displaySize(source);
			softly.assertThat(picture.path("width").asInt() >= picture.path("height").asInt()).as("%s poster upright", file)
					.isEqualTo(display[0] >= display[1]);

			String vtt = client.get("/api/stream/" + id + "/storyboard.vtt").body();
			softly.assertThat(vtt).as("%s storyboard", file).startsWith("WEBVTT").contains("storyboard.jpg#xywh=0,0,");
			JsonNode sprite = Media.stream(Media.probe(client.base() + "/api/stream/" + id + "/storyboard.jpg"), "video");
			softly.assertThat(sprite.path("codec_name").asString()).isEqualTo("mjpeg");
		}
		else {
			softly.assertThat(video.path("thumbnailUrl").isNull()).as("audio has no poster").isTrue();
		}
	}
}
