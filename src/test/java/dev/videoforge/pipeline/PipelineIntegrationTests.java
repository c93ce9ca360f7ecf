package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The core promise end to end: real files from phones and cameras go in by tus, come out as an
 * HLS ladder that ffmpeg itself can play back through the streaming API.
 */
class PipelineIntegrationTests extends AppIntegrationTest {

	@Autowired
	JdbcClient jdbc;

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
		assertThat(ids).hasSize(EXPECTED.size());

		SoftAssertions softly = new SoftAssertions();
		for (var entry : ids.entrySet()) {
			String file = entry.getKey();
			String id = entry.getValue();
			JsonNode video = alice.awaitFinal(id, Duration.ofMinutes(4));
			assertThat(video.path("status").asString()).as("%s: %s", file, video).isEqualTo("READY");
			checkVideo(softly, alice, file, id, video, EXPECTED.get(file));
		}
		softly.assertAll();
		assertNoScratchLeftFor(ids.values());
	}

	/**
	 * The tiny, legacy and otherwise unused files of the shared real media, each through the whole
	 * pipeline: the qualities a viewer gets, every one decoded to its end; or, for a file the
	 * product refuses, the refusal a user sees.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("tinyLegacyAndUnusualRealFiles")
	void transcodesTinyLegacyAndUnusualRealFiles(String file, List<String> expected, String refusal) throws Exception {
		ApiClient bob = newUser("bob");
		var upload = bob.tusUpload(Media.real(file), "Clip " + file, "PUBLIC", 256 * 1024);
		if (refusal != null) {
			assertThat(upload.lastResponse().statusCode()).as("%s refused: %s", file, upload.lastResponse().body())
					.isEqualTo(415);
			JsonNode error = ApiClient.json(upload.lastResponse());
			assertThat(error.path("error").asString()).isEqualTo("not_media");
			assertThat(error.path("message").asString()).as("%s refusal", file).contains(refusal);
			assertThat(bob.get("/api/gallery/videos/" + upload.videoId()).statusCode()).isEqualTo(404);
			return;
		}
		assertThat(upload.lastResponse().statusCode()).as("final PATCH of %s", file).isEqualTo(204);
		long started = System.nanoTime();
		JsonNode video = bob.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		System.out.printf("PipelineIntegrationTests: %s %s in %.1f s%n", file, video.path("status").asString(),
				(System.nanoTime() - started) / 1e9);
		assertThat(video.path("status").asString()).as("%s: %s", file, video).isEqualTo("READY");
		SoftAssertions softly = new SoftAssertions();
		checkVideo(softly, bob, file, upload.videoId(), video, expected);
		softly.assertAll();
		assertNoScratchLeftFor(List.of(upload.videoId()));
	}

	static Stream<Arguments> tinyLegacyAndUnusualRealFiles() {
		return Stream.of(
				// Tiny: one or two frames.
				Arguments.of("mp4_minimal_62ms.mp4", List.of("240p"), null),
				Arguments.of("imovie_export_67ms.mp4", List.of("356p", "240p"), null),
				Arguments.of("vp8_vorbis.webm", List.of("356p", "240p"), null),
				// Legacy codecs and containers.
				Arguments.of("avi_msmpeg4v2_adpcm.avi", List.of("356p", "240p"), null),
				Arguments.of("flv_sorenson_268x156.flv", List.of("156p"), null),
				Arguments.of("mkv_h264_ac3_srt.mkv", List.of("720p", "480p", "360p", "240p"), null),
				// Phones: a data track before the picture, rotated; slow motion at variable frame rate.
				Arguments.of("android_hevc_1080p_rot-90_metadata_track.mp4", List.of("1080p", "720p", "480p", "360p", "240p"), null),
				Arguments.of("android_slowmo_240fps_capture_vfr.mp4", List.of("720p", "480p", "360p", "240p"), null),
				// 8K HEVC: the ladder stops at the configured tallest quality (2160p).
				Arguments.of("hevc_8k_7680x4320_300ms.mp4", List.of("2160p", "1440p", "1080p", "720p", "480p", "360p", "240p"), null),
				Arguments.of("hevc_main_854x480_bframes.mp4", List.of("480p", "360p", "240p"), null),
				Arguments.of("av1_1080x720_aac.mp4", List.of("720p", "480p", "360p", "240p"), null),
				// Sound only: two tracks (AC-3 5.1 and AAC), a plain M4A, a VBR MP3.
				// Each track its own rendition: sound alone keeps one variant per track.
				Arguments.of("mp4_audioonly_two_tracks_ac3_aac.mp4", List.of("audio", "audio2"), null),
				Arguments.of("aac_stereo_48k.m4a", List.of("audio"), null),
				Arguments.of("mp3_vbr_xing.mp3", List.of("audio"), null),
				// ffprobe cannot read it (a malformed box): refused at upload, with the reason.
				Arguments.of("mp4_malformed_free_box.mp4", List.of(), "Invalid data found when processing input"));
	}

	/**
	 * Nothing is left in the processor's scratch space once these videos' jobs are done. Only this
	 * test's jobs are looked at ({@code work/<job id>-<attempt>}): other classes share the application.
	 */
	private void assertNoScratchLeftFor(java.util.Collection<String> videoIds) throws Exception {
		List<String> jobs = new ArrayList<>();
		for (String id : videoIds) {
			jobs.addAll(jdbc.sql("SELECT id FROM jobs WHERE dedupe_key = 'transcode:' || ?").param(id).query(String.class).list());
		}
		assertThat(jobs).as("jobs of %s", videoIds).hasSizeGreaterThanOrEqualTo(videoIds.size());
		Path work = data.resolve("work");
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<Path> left;
		do {
			try (Stream<Path> entries = Files.exists(work) ? Files.list(work) : Stream.empty()) {
				left = entries.filter(p -> jobs.stream().anyMatch(job -> p.getFileName().toString().startsWith(job + "-")))
						.toList();
			}
			if (left.isEmpty()) {
				return;
			}
			Thread.sleep(100);
		}
		while (System.nanoTime() < deadline);
		assertThat(left).as("scratch folders of jobs %s", jobs).isEmpty();
	}

	private void checkVideo(SoftAssertions softly, ApiClient client, String file, String id, JsonNode video, List<String> expected)
			throws Exception {
		Renditions.Decoded source = Renditions.decode(Media.real(file).toString());
		boolean sourceHasVideo = source.hasVideo();
		boolean sourceHasAudio = source.hasAudio();

		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		softly.assertThat(qualities).as("%s qualities", file).isEqualTo(expected);
		softly.assertThat(video.path("progress").asInt()).isEqualTo(100);
		// The API may report the container's figure where it agrees with the decoded one (MediaProbe):
		// an M4A declares 3.328 s and holds 3.072 s of sound. The renditions are decoded below.
		softly.assertThat(video.path("durationSeconds").asDouble()).as("%s duration vs decoded %s", file, source)
				.isCloseTo(source.seconds(), org.assertj.core.data.Offset.offset(0.3));

		var listing = ApiClient.json(client.get("/api/stream/" + id + "/qualities"));
		String master = client.get(listing.path("masterUrl").asString()).body();
		softly.assertThat(master).as("%s master", file).startsWith("#EXTM3U");

		List<String> listed = new ArrayList<>();
		listing.path("qualities").forEach(q -> listed.add(q.path("name").asString()));
		softly.assertThat(listed).as("%s /qualities", file).isEqualTo(expected);
		for (JsonNode quality : listing.path("qualities")) {
			String name = quality.path("name").asString();
			String url = client.base() + quality.path("url").asString();
			softly.assertThat(master).as("%s master lists %s", file, name).contains(name + "/index.m3u8");
			JsonNode out = Media.probe(url);
			JsonNode outVideo = Media.stream(out, "video");
			JsonNode outAudio = Media.stream(out, "audio");
			// Decoded to the last frame: frames, samples, duration and displayed shape against the source's.
			softly.check(() -> Renditions.assertRendition(url, source, sourceHasVideo));
			if (!sourceHasVideo) {
				softly.assertThat(outVideo).as("audio-only has no picture").isNull();
				softly.assertThat(outAudio.path("codec_name").asString()).isEqualTo("aac");
			}
			else {
				softly.assertThat(sourceHasVideo).isTrue();
				int width = outVideo.path("width").asInt();
				int height = outVideo.path("height").asInt();
				int shortSide = Math.min(width, height);
				softly.assertThat(name).as("%s quality name is its short side", file).isEqualTo(shortSide + "p");
				softly.assertThat(width).as("%s %s width %d", file, name, width).isEqualTo(quality.path("width").asInt());
				softly.assertThat(height).isEqualTo(quality.path("height").asInt());
				softly.assertThat(width % 2 + height % 2).as("even sides").isZero();
				softly.assertThat(outVideo.path("codec_name").asString()).isEqualTo("h264");
				softly.assertThat(outVideo.path("pix_fmt").asString()).isEqualTo("yuv420p");
				if ("smpte2084".equals(Media.stream(Media.probe(Media.real(file).toString()), "video").path("color_transfer").asString(""))) {
					softly.assertThat(outVideo.path("color_transfer").asString()).as("%s HDR tone-mapped to SDR", file)
							.isEqualTo("bt709");
				}
				softly.assertThat(master).as("%s master attributes", file)
						.containsPattern("BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,RESOLUTION=" + width + "x" + height
								+ ",FRAME-RATE=[0-9.]+,CODECS=\"avc1\\.[0-9a-f]{6}"
								// The sound is in the audio group every quality names.
								+ (sourceHasAudio ? ",mp4a\\.40\\.2\",AUDIO=\"audio" : "") + "\""
								// A source with text subtitles has a caption track: its variants name the group.
								+ (file.endsWith("_srt.mkv") ? ",SUBTITLES=\"subs\"" : "") + "\n"
								+ name + "/index.m3u8");
			}
		}

		// Every audio track once, as its own rendition: in the master's audio group beside pictures.
		JsonNode tracks = video.path("audioTracks");
		softly.assertThat(tracks.size()).as("%s audio tracks", file).isEqualTo(sourceHasAudio ? Math.max(1, (int) source.tracks()
				.stream().filter(t -> t.samples() > 0).count()) : 0);
		if (sourceHasVideo && sourceHasAudio) {
			for (JsonNode track : tracks) {
				String name = track.path("name").asString();
				softly.assertThat(master).as("%s master names the track %s", file, name)
						.containsPattern("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"[^\"]+\",LANGUAGE=\""
								+ track.path("language").asString() + "\",DEFAULT=" + (track.path("default").asBoolean() ? "YES" : "NO")
								+ ",AUTOSELECT=YES,CHANNELS=\"2\",URI=\"" + name + "/index.m3u8");
				String url = client.base() + listing.path("masterUrl").asString().replace("master.m3u8", name + "/index.m3u8");
				softly.check(() -> Renditions.assertRendition(url, source, false));
			}
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
			softly.assertThat(picture.path("width").asInt() >= picture.path("height").asInt()).as("%s poster upright", file)
					.isEqualTo(source.displayWidth() >= source.displayHeight());

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
