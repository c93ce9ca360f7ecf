package dev.videoforge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.videoforge.support.Media;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * What {@link MediaProbe} makes of ffprobe's answer, on answers recorded from real files
 * ({@code src/test/resources/ffprobe/}, see its README for how each was made) and on hand-edited
 * copies for the cases real files rarely show; and a few real probes where the duration has to be
 * measured from the media.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MediaProbeTests {

	/** The product's defaults, bound the way Spring binds them, with the sandbox off (SandboxTests covers it). */
	static MediaSettings settings(Map<String, String> overrides) {
		var properties = new java.util.HashMap<String, String>(Map.of("videoforge.media.sandbox", "off"));
		properties.putAll(overrides);
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("videoforge.media",
				MediaSettings.class);
	}

	private final MediaProbe probe = new MediaProbe(settings(Map.of()), new Sandbox(settings(Map.of())));

	private static String recorded(String name) throws IOException {
		try (InputStream in = MediaProbeTests.class.getResourceAsStream("/ffprobe/" + name + ".json")) {
			assertThat(in).as("recorded ffprobe output %s", name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private MediaInfo parse(String name) throws IOException {
		return probe.parse(recorded(name));
	}

	// Recorded from real files

	@Test
	void findsTheVideoBehindADataTrackAndTurnsItByTheDisplayMatrix() throws IOException {
		// androidx/media h265_with_metadata_track.mp4: stream 0 is a data track, 1 audio, 2 video.
		MediaInfo info = parse("android_hevc_rot-90_metadata_track");
		assertThat(info.format()).isEqualTo("mov");
		assertThat(info.video().index()).isEqualTo(2);
		assertThat(info.video().codec()).isEqualTo("hevc");
		assertThat(info.video().rotation()).isEqualTo(-90);
		assertThat(info.video().width()).isEqualTo(1920);
		assertThat(info.video().displayWidth()).isEqualTo(1080);
		assertThat(info.video().displayHeight()).isEqualTo(1920);
		assertThat(info.audio().index()).isEqualTo(1);
		assertThat(info.audio().channels()).isEqualTo(2);
		assertThat(info.durationSeconds()).isCloseTo(0.1, within(0.001));
	}

	@Test
	void aTimecodeTrackIsNeitherVideoNorAudio() throws IOException {
		MediaInfo info = parse("lavfi_timecode_mov");
		assertThat(info.video().index()).isZero();
		assertThat(info.audio()).isNull();
		assertThat(info.video().frameRate()).isEqualTo(25.0);
	}

	@Test
	void coverArtInAnMp3IsNotVideo() throws IOException {
		MediaInfo info = parse("lavfi_cover_mp3");
		assertThat(info.format()).isEqualTo("mp3");
		assertThat(info.hasVideo()).as("the attached JPEG is a picture, not a video").isFalse();
		assertThat(info.audio().codec()).isEqualTo("mp3");
		assertThat(info.durationSeconds()).isCloseTo(1.045, within(0.001));
	}

	@Test
	void coverArtInAnM4aIsNotVideo() throws IOException {
		MediaInfo info = parse("lavfi_cover_m4a");
		assertThat(info.hasVideo()).isFalse();
		assertThat(info.audio().codec()).isEqualTo("aac");
		assertThat(info.audio().sampleRate()).isEqualTo(44100);
	}

	@Test
	void ofTwoVideoTracksTheFirstIsTheVideo() throws IOException {
		MediaInfo info = parse("lavfi_two_video_mkv");
		assertThat(info.format()).isEqualTo("matroska");
		assertThat(info.video().index()).isZero();
		assertThat(info.video().width()).isEqualTo(320);
		assertThat(info.video().frameRate()).isEqualTo(25.0);
		// Matroska declares no stream durations: the container's is the claim.
		assertThat(info.durationSeconds()).isEqualTo(1.0);
	}

	@Test
	void aStreamedRecordingWithoutDurationsClaimsNone() throws IOException {
		// A WebM written to a pipe, as a browser's MediaRecorder writes it: no duration anywhere.
		MediaInfo info = parse("lavfi_streamed_webm");
		assertThat(info.durationSeconds()).isZero();
		assertThat(info.video().codec()).isEqualTo("vp8");
		assertThat(info.audio().codec()).isEqualTo("opus");
	}

	@Test
	void ofTwoAudioTracksTheFirstIsTheAudio() throws IOException {
		MediaInfo info = parse("audioonly_two_tracks");
		assertThat(info.hasVideo()).isFalse();
		assertThat(info.audio().index()).isZero();
		assertThat(info.audio().codec()).isEqualTo("ac3");
		assertThat(info.audio().channels()).isEqualTo(6);
	}

	@Test
	void readsInterlacingAndTakesTheFrameRateNotTheFieldRate() throws IOException {
		MediaInfo info = parse("avchd_1080i_interlaced");
		assertThat(info.format()).isEqualTo("mpegts");
		assertThat(info.video().interlaced()).isTrue();
		assertThat(info.video().frameRate()).isCloseTo(29.97, within(0.01));
	}

	@Test
	void ignoresMatroskasMillisecondFrameRate() throws IOException {
		// avg_frame_rate 1000/1 is the timebase, r_frame_rate 60/1 the video's.
		MediaInfo info = parse("mkv_h264_ac3_srt");
		assertThat(info.video().frameRate()).isEqualTo(60.0);
		assertThat(info.audio().codec()).isEqualTo("ac3");
	}

	@Test
	void listsTextSubtitleStreamsWithTheirLanguageAndTitle() throws IOException {
		MediaInfo info = parse("mkv_h264_ac3_srt");
		assertThat(info.subtitles()).containsExactly(new MediaInfo.SubtitleStream(2, "subrip", "eng", "Subs Label"));
		// Files without any: none.
		assertThat(parse("vp9_odd").subtitles()).isEmpty();
	}

	@Test
	void recognisesHdr10AndPortrait() throws IOException {
		MediaInfo info = parse("av1_hdr10_portrait");
		assertThat(info.video().hdr()).isTrue();
		assertThat(info.video().pixelFormat()).isEqualTo("yuv420p10le");
		assertThat(info.video().displayWidth()).isEqualTo(720);
		assertThat(info.video().displayHeight()).isEqualTo(1280);
		assertThat(info.durationSeconds()).isCloseTo(4.238, within(0.001));
	}

	@Test
	void anSdrVideoIsNotHdr() throws IOException {
		assertThat(parse("vp9_odd").video().hdr()).isFalse();
		assertThat(parse("vp9_odd").video().width()).isEqualTo(161);
	}

	@Test
	void refusesVideoWhoseCodecFfprobeCannotName() throws IOException {
		assertThatThrownBy(() -> parse("vvc_unsupported")).isInstanceOf(NotMediaException.class)
				.hasMessageContaining("codec this server cannot decode");
	}

	// Hand-edited copies (see the README)

	@Test
	void withoutTheContainersDurationTakesTheLongestStreamsOwn() throws IOException {
		// av1_hdr10_portrait without format.duration: video 4.237567 s, audio 4.181271 s.
		assertThat(parse("edited_no_format_duration").durationSeconds()).isEqualTo(4.237567);
	}

	@Test
	void withoutAnyDurationClaimsZeroForTheMeasurementToFill() throws IOException {
		MediaInfo info = parse("edited_no_durations");
		assertThat(info.durationSeconds()).isZero();
		assertThat(info.hasVideo()).isTrue();
		assertThat(info.hasAudio()).isTrue();
	}

	@Test
	void coverArtListedBeforeTheAudioIsStillNotVideo() throws IOException {
		MediaInfo info = parse("edited_cover_art_first");
		assertThat(info.hasVideo()).isFalse();
		assertThat(info.audio().index()).isEqualTo(1);
	}

	@Test
	void aFileOfNothingButCoverArtIsNotMedia() {
		assertThatThrownBy(() -> parse("edited_cover_art_only")).isInstanceOf(NotMediaException.class)
				.hasMessage("the file has no video or audio stream");
	}

	@Test
	void aFileOfNothingButADataTrackIsNotMedia() {
		assertThatThrownBy(() -> parse("edited_data_track_only")).isInstanceOf(NotMediaException.class)
				.hasMessage("the file has no video or audio stream");
	}

	@Test
	void anUndecodableFirstVideoTrackGivesWayToTheSecond() throws IOException {
		MediaInfo info = parse("edited_two_video_first_undecodable");
		assertThat(info.video().index()).isEqualTo(1);
		assertThat(info.video().width()).isEqualTo(640);
		assertThat(info.video().frameRate()).isEqualTo(30.0);
	}

	@Test
	void aPlaylistIsNotMediaWhateverItsStreamsSay() {
		assertThatThrownBy(() -> parse("edited_format_hls")).isInstanceOf(NotMediaException.class)
				.hasMessageContaining("detected as hls");
	}

	// Real probes: the duration measured from the media, the allowlist applied by ffprobe itself

	@Test
	void measuresTheDurationOfARecordingThatDeclaresNone(@TempDir Path dir) throws Exception {
		Path webm = dir.resolve("streamed.webm");
		// Written to a pipe, so the muxer cannot go back and write a duration.
		Media.Run run = Media.run(List.of("sh", "-c", "ffmpeg -v error -nostdin -f lavfi -i testsrc=size=160x120:rate=25:duration=2 "
				+ "-c:v libvpx -deadline realtime -b:v 200k -f webm pipe:1 > " + webm), 60);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(Media.run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", webm.toString()), 30)
				.stdout().strip()).as("the header declares no duration").isIn("N/A", "");
		MediaInfo info = probe.probe(webm, Duration.ofMinutes(10));
		assertThat(info.durationSeconds()).isCloseTo(2.0, within(0.1));
		assertThat(info.format()).isEqualTo("matroska");
	}

	/**
	 * One file per class of the issue #10 attacks, each named as an upload could be: ffprobe,
	 * restricted to the allowlist, refuses it before the demuxer runs, and the refusal names what it
	 * was detected as.
	 */
	@ParameterizedTest(name = "{0} detected as {1}")
	@CsvSource(delimiter = '|', textBlock = """
			upload.mp4      | hls      | #EXTM3U\\n#EXT-X-TARGETDURATION:10\\n#EXTINF:10,\\nfile:SECRET\\n#EXT-X-ENDLIST\\n
			upload.mp4      | dash     | <?xml version="1.0"?>\\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1"><BaseURL>file:SECRET</BaseURL></Representation></AdaptationSet></Period></MPD>\\n
			upload.mp4      | concat   | ffconcat version 1.0\\nfile SECRET\\n
			upload.mp4      | srt      | 1\\n00:00:00,000 --> 00:00:01,000\\nhello\\n\\n2\\n00:00:01,000 --> 00:00:02,000\\nworld\\n
			upload.mp4      | webvtt   | WEBVTT\\n\\n00:00.000 --> 00:01.000\\nhello\\n
			upload.mp4      | ass      | [Script Info]\\nScriptType: v4.00+\\n\\n[Events]\\nFormat: Layer, Start, End, Style, Text\\nDialogue: 0,0:00:00.00,0:00:01.00,Default,hello\\n
			upload.mp4      | svg_pipe | <?xml version="1.0"?>\\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><image href="file://SECRET"/></svg>\\n
			upload.ans      | tty      | an ANSI art file\\n
			upload-%03d.jpg | image2   | not read: the name is a sequence pattern\\n
			""")
	void refusesEachContainerThatReadsOtherFilesOrIsNotMedia(String name, String detectedAs, String content,
			@TempDir Path dir) throws IOException {
		Path secret = dir.resolve("secret.ts");
		Files.writeString(secret, "another account's segment");
		Path upload = dir.resolve(name);
		Files.writeString(upload, content.replace("\\n", "\n").replace("SECRET", secret.toString()));
		assertThatThrownBy(() -> probe.probe(upload, Duration.ofMinutes(10))).isInstanceOf(NotMediaException.class)
				.hasMessageContaining("detected as " + detectedAs + ", which is not an accepted media container");
	}

	@Test
	void refusesAPngAsAnImageNotAVideo(@TempDir Path dir) throws Exception {
		Path png = dir.resolve("upload.mp4");
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=64x64",
				"-frames:v", "1", "-f", "image2", "-c:v", "png", png.toString()), 30);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThatThrownBy(() -> probe.probe(png, Duration.ofMinutes(10))).isInstanceOf(NotMediaException.class)
				.hasMessageContaining("detected as png_pipe");
	}

	@Test
	void refusesBytesThatAreNoMediaAtAll() {
		assertThatThrownBy(() -> probe.probe(Media.real("random_bytes_named.mp3"), Duration.ofMinutes(10)))
				.isInstanceOf(NotMediaException.class);
	}

	@Test
	void probesARealFileAsItsRecordingSays() throws IOException {
		MediaInfo live = probe.probe(Media.real("android_hevc_1080p_rot-90_metadata_track.mp4"), Duration.ofMinutes(10));
		MediaInfo recordedInfo = parse("android_hevc_rot-90_metadata_track");
		assertThat(live.video()).isEqualTo(recordedInfo.video());
		// The recording predates the tags that name audio tracks.
		assertThat(live.audio()).usingRecursiveComparison().ignoringFields("language", "title").isEqualTo(recordedInfo.audio());
		assertThat(live.audio().language()).isEqualTo("eng");
		assertThat(live.audioStreams()).containsExactly(live.audio());
		assertThat(live.durationSeconds()).isCloseTo(0.1, within(0.05));
	}
}
