package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.Media;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timescale and the fragments' decode times of real fMP4 HLS output, read back by ffprobe after the shift. */
class Fmp4Tests {

	@TempDir
	Path dir;

	@Test
	void movingAChunksFragmentsShiftsEveryFrameByExactlyTheChunksStart() throws Exception {
		Media.Run encode = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
				"testsrc2=size=160x90:rate=30:duration=8", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-f", "hls",
				"-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
				"-hls_segment_filename", dir.resolve("seg_%05d.m4s").toString(), dir.resolve("index.m3u8").toString()), 60);
		assertThat(encode.exitCode()).as(encode.stderr()).isZero();
		long timescale = Fmp4.timescale(dir.resolve("init.mp4"));
		assertThat(timescale).as("ffmpeg's timescale for 30 fps").isEqualTo(15360);
		List<Double> before = firstTimes(dir.resolve("seg_00001.m4s"));

		assertThat(Fmp4.shiftDecodeTimes(dir.resolve("seg_00001.m4s"), 40 * timescale)).isEqualTo(1);

		List<Double> after = firstTimes(dir.resolve("seg_00001.m4s"));
		assertThat(after).hasSameSizeAs(before);
		for (int i = 0; i < before.size(); i++) {
			assertThat(after.get(i)).isCloseTo(before.get(i) + 40, org.assertj.core.data.Offset.offset(1e-6));
		}
	}

	/** The decode times of a segment's frames, read with its init section in front. */
	private List<Double> firstTimes(Path segment) throws Exception {
		Path joined = dir.resolve("joined.mp4");
		Files.write(joined, Files.readAllBytes(dir.resolve("init.mp4")));
		Files.write(joined, Files.readAllBytes(segment), java.nio.file.StandardOpenOption.APPEND);
		Media.Run probe = Media.run(List.of("ffprobe", "-v", "error", "-show_entries", "packet=dts_time", "-of", "csv=p=0",
				joined.toString()), 60);
		assertThat(probe.exitCode()).as(probe.stderr()).isZero();
		return probe.stdout().lines().filter(l -> !l.isBlank()).map(Double::parseDouble).toList();
	}
}
