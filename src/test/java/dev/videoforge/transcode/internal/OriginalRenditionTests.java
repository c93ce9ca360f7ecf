package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaInfo;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which source pictures are served as they are: the classes of stream a browser's H.264 decoder
 * plays (and a viewer's connection fetches), and every class it does not, from what the probe
 * found and then from what the repackaged stream holds.
 */
class OriginalRenditionTests {

	private static final Duration MAX_SEGMENT = Duration.ofSeconds(12);

	/** A 60 s 1080p source of {@code kbps} with these pictures. */
	private static String refusal(String codec, String pixelFormat, int bits, boolean interlaced, int rotation, double sar,
			String transfer, int kbps) {
		return refusal(codec, pixelFormat, bits, interlaced, rotation, sar, transfer, kbps, 30);
	}

	/** As above, at {@code fps} pictures a second. */
	private static String refusal(String codec, String pixelFormat, int bits, boolean interlaced, int rotation, double sar,
			String transfer, int kbps, double fps) {
		MediaInfo info = new MediaInfo("mov", 60, new MediaInfo.VideoStream(0, codec, 1920, 1080, rotation, pixelFormat, fps,
				interlaced, bits, sar, transfer), new MediaInfo.AudioStream(1, "aac", 2, 48000));
		return OriginalRendition.refusal(info, kbps * 1000L / 8 * 60, 25000, 60);
	}

	@ParameterizedTest(name = "{0} pictures a second: served {1}")
	@CsvSource({ "23.976, true", "59.94, true", "60, true", "120, false", "240, false" })
	void picturesFasterThanTheLadderAreNotServed(double fps, boolean served) {
		String refusal = refusal("h264", "yuv420p", 8, false, 0, 1.0, "bt709", 8000, fps);
		if (served) {
			assertThat(refusal).isNull();
		}
		else {
			assertThat(refusal).contains("over max-frame-rate 60");
		}
	}

	@ParameterizedTest(name = "{0} {1} {2}-bit interlaced={3} rotation={4} sar={5} {6} {7} kbit/s")
	@CsvSource({ "h264, yuv420p, 8, false, 0, 1.0, bt709, 19400", "h264, yuvj420p, 8, false, 0, 0, , 800",
			"h264, yuv420p, 0, false, 360, 1.0, bt709, 25000" })
	void picturesABrowserPlaysAsTheyAreAreServed(String codec, String pixelFormat, int bits, boolean interlaced, int rotation,
			double sar, String transfer, int kbps) {
		assertThat(refusal(codec, pixelFormat, bits, interlaced, rotation, sar, transfer, kbps)).isNull();
	}

	@ParameterizedTest(name = "{0} {1} {2}-bit interlaced={3} rotation={4} sar={5} {6} {7} kbit/s: {8}")
	@CsvSource({ "hevc, yuv420p, 8, false, 0, 1.0, bt709, 5000, not H.264", "vp8, yuv420p, 8, false, 0, 1.0, bt709, 1000, not H.264",
			"vp9, yuv420p, 8, false, 0, 1.0, bt709, 1000, not H.264", "av1, yuv420p, 8, false, 0, 1.0, bt709, 1000, not H.264",
			"mpeg2video, yuv420p, 8, false, 0, 1.0, bt709, 1000, not H.264",
			"h264, yuv420p10le, 10, false, 0, 1.0, bt709, 5000, 8-bit 4:2:0", "h264, yuv422p, 8, false, 0, 1.0, bt709, 5000, 8-bit 4:2:0",
			"h264, yuv444p, 8, false, 0, 1.0, bt709, 5000, 8-bit 4:2:0", "h264, gbrp, 8, false, 0, 1.0, bt709, 5000, 8-bit 4:2:0",
			"h264, yuv420p, 8, true, 0, 1.0, bt709, 5000, interlaced", "h264, yuv420p, 8, false, 90, 1.0, bt709, 5000, rotated",
			"h264, yuv420p, 8, false, 180, 1.0, bt709, 5000, rotated", "h264, yuv420p, 8, false, -90, 1.0, bt709, 5000, rotated",
			"h264, yuv420p, 8, false, 0, 1.333, bt709, 5000, not square", "h264, yuv420p, 8, false, 0, 1.0, smpte2084, 5000, HDR",
			"h264, yuv420p, 8, false, 0, 1.0, arib-std-b67, 5000, HDR",
			"h264, yuv420p, 8, false, 0, 1.0, bt709, 25100, over original-max-kbps" })
	void everyOtherClassOfPicturesIsNot(String codec, String pixelFormat, int bits, boolean interlaced, int rotation, double sar,
			String transfer, int kbps, String why) {
		assertThat(refusal(codec, pixelFormat, bits, interlaced, rotation, sar, transfer, kbps)).contains(why);
	}

	private static HlsOutput.Measured measured(long averageBps) {
		return new HlsOutput.Measured(new Plan.Quality(OriginalRendition.NAME, 1920, 1080, 0), null, OriginalRendition.NAME, 60,
				averageBps * 2, averageBps, 8);
	}

	@ParameterizedTest(name = "{0}, segments up to {1} s")
	@CsvSource({ "avc1.42c01e, 8.34", "avc1.4d401f, 4", "avc1.640028, 12", "avc1.640034, 2.0" })
	void aRepackagedStreamOfAProfileAndLevelBrowsersDecodeIsServed(String codec, double longest) {
		assertThat(OriginalRendition.refusal(codec, measured(19_400_000), longest, 25000, MAX_SEGMENT)).isNull();
	}

	@ParameterizedTest(name = "{0}, segments up to {1} s, {2} bit/s: {3}")
	@CsvSource({ "avc1.6e0028, 4, 5000000, profile 110", "avc1.7a0028, 4, 5000000, profile 122",
			"avc1.f40028, 4, 5000000, profile 244", "avc1.580028, 4, 5000000, profile 88", "avc1.64003c, 4, 5000000, level 6.0",
			"avc1.640033, 12.5, 5000000, 12.5 s apart", "avc1.640028, 4, 25000001, over original-max-kbps",
			"hev1.1.6.L93, 4, 5000000, no H.264", "'', 4, 5000000, no H.264" })
	void aRepackagedStreamBrowsersMayNotDecodeIsNot(String codec, double longest, long bps, String why) {
		assertThat(OriginalRendition.refusal(codec, measured(bps), longest, 25000, MAX_SEGMENT)).contains(why);
	}
}
