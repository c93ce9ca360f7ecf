package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsOutputTests {

	@TempDir
	Path dir;

	@Test
	void measuresPeakAndAverageBitrateAndFixesAZeroTargetDuration() throws IOException {
		Files.writeString(dir.resolve("index.m3u8"), """
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-TARGETDURATION:0
				#EXT-X-MAP:URI="init_0.mp4"
				#EXTINF:4.000000,
				seg_00000.m4s
				#EXTINF:2.000000,
				seg_00001.m4s
				#EXT-X-ENDLIST
				""");
		segment(dir.resolve("init_0.mp4"), "ftyp", 800);
		segment(dir.resolve("seg_00000.m4s"), "styp", 100_000);
		segment(dir.resolve("seg_00001.m4s"), "styp", 100_000);
		var quality = new Plan.Quality("720p", 1280, 720, 2800);
		HlsOutput.Measured measured = HlsOutput.finishAndMeasure(dir, quality);
		assertThat(measured.durationSeconds()).isEqualTo(6.0);
		assertThat(measured.segments()).isEqualTo(2);
		assertThat(measured.peakBps()).isEqualTo(400_000);
		assertThat(measured.averageBps()).isEqualTo(266_667);
		assertThat(Files.readString(dir.resolve("index.m3u8"))).contains("#EXT-X-TARGETDURATION:4\n");

		String silent = HlsOutput.master(List.of(measured), List.of(), Map.of("720p", "avc1.64001f"), 30000 / 1001.0);
		assertThat(silent).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=266667,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f"
				720p/index.m3u8
				""");
	}

	@Test
	void everyAudioTrackIsOneMediaOfTheGroupEveryQualityPlaysWithAndCountsTheDefaultTracksBits() {
		var hd = new HlsOutput.Measured(new Plan.Quality("720p", 1280, 720, 2800), null, "720p", 6, 3_000_000, 2_500_000, 2);
		var sd = new HlsOutput.Measured(new Plan.Quality("360p", 640, 360, 800), null, "360p", 6, 900_000, 800_000, 2);
		var english = new HlsOutput.Measured(null, new Plan.AudioTrack("audio", 1, "en", "English", true), "audio", 6, 140_000,
				130_000, 2);
		var french = new HlsOutput.Measured(null, new Plan.AudioTrack("audio2", 2, "fr", "Français", false), "audio2", 6, 150_000,
				131_000, 2);
		String master = HlsOutput.master(List.of(hd, sd), List.of(english, french),
				Map.of("720p", "avc1.64001f,mp4a.40.2", "360p", "avc1.64001e,mp4a.40.2"), 30);
		assertThat(master).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
				#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Français",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="audio2/index.m3u8"
				#EXT-X-STREAM-INF:BANDWIDTH=3140000,AVERAGE-BANDWIDTH=2630000,RESOLUTION=1280x720,FRAME-RATE=30.000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="audio"
				720p/index.m3u8
				#EXT-X-STREAM-INF:BANDWIDTH=1040000,AVERAGE-BANDWIDTH=930000,RESOLUTION=640x360,FRAME-RATE=30.000,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"
				360p/index.m3u8
				""");
		// Sound alone: a variant per track, as before tracks were renditions of their own.
		assertThat(HlsOutput.master(List.of(), List.of(english, french), Map.of(), 0)).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-STREAM-INF:BANDWIDTH=140000,AVERAGE-BANDWIDTH=130000,CODECS="mp4a.40.2"
				audio/index.m3u8
				#EXT-X-STREAM-INF:BANDWIDTH=150000,AVERAGE-BANDWIDTH=131000,CODECS="mp4a.40.2"
				audio2/index.m3u8
				""");
	}

	@Test
	void anEmptyOrZeroFilledSegmentOrInitSectionIsNoRendition() throws IOException {
		Files.writeString(dir.resolve("index.m3u8"), """
				#EXTM3U
				#EXT-X-TARGETDURATION:4
				#EXT-X-MAP:URI="init_0.mp4"
				#EXTINF:4.000000,
				seg_00000.m4s
				#EXTINF:2.000000,
				seg_00001.m4s
				#EXT-X-ENDLIST
				""");
		var quality = new Plan.Quality("720p", 1280, 720, 2800);
		segment(dir.resolve("init_0.mp4"), "ftyp", 800);
		segment(dir.resolve("seg_00000.m4s"), "styp", 100_000);
		// What a full disk or a crash leaves: the size the playlist expects, and nothing in it.
		Files.write(dir.resolve("seg_00001.m4s"), new byte[100_000]);
		assertThatThrownBy(() -> HlsOutput.finishAndMeasure(dir, quality)).isInstanceOf(IOException.class)
				.hasMessage("the segment seg_00001.m4s (100000 bytes) holds no media");
		Files.write(dir.resolve("seg_00001.m4s"), new byte[0]);
		assertThatThrownBy(() -> HlsOutput.finishAndMeasure(dir, quality)).isInstanceOf(IOException.class)
				.hasMessage("the segment seg_00001.m4s (0 bytes) holds no media");
		segment(dir.resolve("seg_00001.m4s"), "styp", 100_000);
		Files.write(dir.resolve("init_0.mp4"), new byte[800]);
		assertThatThrownBy(() -> HlsOutput.finishAndMeasure(dir, quality)).isInstanceOf(IOException.class)
				.hasMessage("the segment init_0.mp4 (800 bytes) holds no media");
		segment(dir.resolve("init_0.mp4"), "ftyp", 800);
		assertThat(HlsOutput.finishAndMeasure(dir, quality).segments()).isEqualTo(2);
	}

	@Test
	void aRenditionOfAVeryShortClipIsStillCheckedForLength() throws TranscodeFailure {
		var quality = new Plan.Quality("240p", 320, 240, 400);
		// A 62 ms clip at 25 fps: one 40 ms frame is all of it; nothing at all is not.
		Transcoder.checkComplete(List.of(measured(quality, 0.04)), 0.062, 25);
		assertThatThrownBy(() -> Transcoder.checkComplete(List.of(measured(quality, 0.0)), 0.062, 25))
				.isInstanceOf(TranscodeFailure.class).hasMessageContaining("lasts 0.00 s of the media's 0.06 s");
		// The 0.34 s 8K clip at 24 fps: one frame of its eight is not the clip.
		Transcoder.checkComplete(List.of(measured(quality, 0.333)), 0.34, 24);
		assertThatThrownBy(() -> Transcoder.checkComplete(List.of(measured(quality, 0.0417)), 0.34, 24))
				.isInstanceOf(TranscodeFailure.class);
		// Sound only: one AAC frame (21 ms) of a 0.3 s file is not the file.
		Transcoder.checkComplete(List.of(measured(null, 0.29)), 0.298, 0);
		assertThatThrownBy(() -> Transcoder.checkComplete(List.of(measured(null, 0.0213)), 0.298, 0))
				.isInstanceOf(TranscodeFailure.class);
		// A 0.23 s WMV: one picture (the playlist says 0.07 s) beside 0.2 s of sound is all of it.
		Transcoder.checkComplete(List.of(measured(quality, 0.07)), 0.23, 14.6);
		// Long media keep their margin: a tenth and half a second.
		Transcoder.checkComplete(List.of(measured(quality, 8.6)), 10, 25);
		assertThatThrownBy(() -> Transcoder.checkComplete(List.of(measured(quality, 8.4)), 10, 25))
				.isInstanceOf(TranscodeFailure.class);
		assertThat(Transcoder.minimumLength(1.0, 1 / 30.0)).as("continuous at one second").isCloseTo(0.4, within(1e-9));
	}

	private static HlsOutput.Measured measured(Plan.Quality quality, double seconds) {
		return new HlsOutput.Measured(quality, quality == null ? new Plan.AudioTrack("audio", 1, "und", "Audio 1", true) : null,
				quality == null ? "audio" : quality.name(), seconds, 1000, 1000, 1);
	}

	/** A file that starts with an MP4 box header of {@code type} and is {@code size} bytes of non-zero data. */
	private static void segment(Path file, String type, int size) throws IOException {
		byte[] bytes = new byte[size];
		new java.util.Random(size).nextBytes(bytes);
		ByteBuffer.wrap(bytes).putInt(Math.min(size, 24)).put(type.getBytes(StandardCharsets.ISO_8859_1));
		Files.write(file, bytes);
	}

	@Test
	void readsCodecsFromFfmpegsMaster() throws IOException {
		Path master = dir.resolve("master.m3u8");
		Files.writeString(master, """
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-STREAM-INF:BANDWIDTH=5640800,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2"
				1080p/index.m3u8

				#EXT-X-STREAM-INF:BANDWIDTH=1020800,RESOLUTION=640x360,CODECS="avc1.64001e"
				360p/index.m3u8
				""");
		assertThat(HlsOutput.codecsFromFfmpegMaster(master))
				.containsExactlyInAnyOrderEntriesOf(Map.of("1080p", "avc1.640028,mp4a.40.2", "360p", "avc1.64001e"));
	}

	@Test
	void storyboardCuesPointIntoTheSprite() {
		String vtt = HlsOutput.storyboardVtt(new Plan.Storyboard(2, 12, 10, 2, 160, 90), 23.5, "storyboard.jpg");
		assertThat(vtt).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90\n\n");
		assertThat(vtt).contains("00:00:20.000 --> 00:00:22.000\nstoryboard.jpg#xywh=0,90,160,90\n");
		assertThat(vtt).endsWith("00:00:22.000 --> 00:00:23.500\nstoryboard.jpg#xywh=160,90,160,90\n\n");
	}
}
