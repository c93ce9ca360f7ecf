package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
		Files.write(dir.resolve("seg_00000.m4s"), new byte[100_000]);
		Files.write(dir.resolve("seg_00001.m4s"), new byte[100_000]);
		var rung = new Plan.Rung("720p", 1280, 720, 2800);
		HlsOutput.Measured measured = HlsOutput.measure(dir, rung, "720p");
		assertThat(measured.durationSeconds()).isEqualTo(6.0);
		assertThat(measured.segments()).isEqualTo(2);
		assertThat(measured.peakBps()).isEqualTo(400_000);
		assertThat(measured.averageBps()).isEqualTo(266_667);
		assertThat(Files.readString(dir.resolve("index.m3u8"))).contains("#EXT-X-TARGETDURATION:4\n");

		String master = HlsOutput.master(List.of(measured), Map.of("720p", "avc1.64001f,mp4a.40.2"), 30000 / 1001.0, true);
		assertThat(master).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=266667,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2"
				720p/index.m3u8
				""");
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
