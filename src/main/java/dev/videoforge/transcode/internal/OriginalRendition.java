package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.media.MediaInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The source's own pictures, played while the ladder is made: its H.264 stream repackaged as an HLS
 * rendition ({@code -c:v copy}: no decode, no encode, a few CPU seconds for an hour of video), so a
 * chunked video plays within seconds of its upload at no cost in CPU, where a first rendition costs
 * a second decode of the source (docs/BENCHMARKS.md, Fleet). Only pictures a browser plays as they
 * are, at a bitrate a viewer can fetch: H.264 of 4:2:0 8-bit, progressive, square pixels, not
 * rotated, not HDR, at most {@code max-frame-rate} pictures a second, of the Baseline, Main or
 * High profile up to level 5.2, in segments no longer than a setting. Anything else gets no
 * original rendition (a first rendition is made, or the chunks publish the video), and the
 * master at READY lists only the ladder; the original's files stay for
 * {@code original-kept-after-ready}, so that whoever began watching on it finishes.
 *
 * <p>It is the uploader's bitstream that viewers' decoders read, as a browser reads any video on
 * the web; ffmpeg repackages it in the sandbox, every segment is checked to be media, and its
 * keyframes decode before it is published (docs/SECURITY.md).
 */
final class OriginalRendition {

	/** The rendition's name and folder. */
	static final String NAME = "original";

	/** Pixel formats a browser's H.264 decoder takes as they are. */
	private static final Set<String> PIXEL_FORMATS = Set.of("yuv420p", "yuvj420p");

	/** H.264 profiles browsers decode: Baseline (and Constrained Baseline), Main, High. */
	private static final Set<Integer> PROFILES = Set.of(66, 77, 100);

	/** The highest H.264 level of the profiles' decoders in browsers (5.2: 4096x2304 at 60). */
	private static final int MAX_LEVEL = 52;

	private OriginalRendition() {
	}

	/**
	 * Why the source's pictures cannot be played as they are, from what the probe found and the
	 * file's size; null when they may be (the repackaged stream is checked again:
	 * {@link #refusal(String, HlsOutput.Measured, double, int, Duration)}).
	 */
	static String refusal(MediaInfo info, long sourceBytes, int maxKbps, int maxFrameRate) {
		MediaInfo.VideoStream video = info.video();
		if (video == null) {
			return "no pictures";
		}
		if (!"h264".equals(video.codec())) {
			return "its pictures are " + video.codec() + ", not H.264";
		}
		if (video.pixelFormat() == null || !PIXEL_FORMATS.contains(video.pixelFormat()) || video.bitsPerSample() > 8) {
			return "its pictures are " + video.pixelFormat() + ", not 8-bit 4:2:0";
		}
		if (video.interlaced()) {
			return "its pictures are interlaced";
		}
		if (Math.floorMod(video.rotation(), 360) != 0) {
			return "its pictures are rotated";
		}
		if (video.sampleAspect() > 0 && Math.abs(video.sampleAspect() - 1) > 0.01) {
			return "its pixels are not square";
		}
		if (video.hdr()) {
			return "its pictures are HDR";
		}
		if (video.frameRate() > maxFrameRate + 0.5) {
			// A phone's slow-motion capture: more pictures a second than the ladder keeps, and than
			// a viewer's device may decode.
			return String.format(Locale.ROOT, "%.0f pictures a second, over max-frame-rate %d", video.frameRate(), maxFrameRate);
		}
		double seconds = info.durationSeconds();
		if (seconds > 0 && sourceBytes * 8 / seconds > maxKbps * 1000.0) {
			return String.format(Locale.ROOT, "%.0f kbit/s, over original-max-kbps %d", sourceBytes * 8 / seconds / 1000,
					maxKbps);
		}
		return null;
	}

	/**
	 * Why the repackaged stream is not played (null: it is), from its init section's {@code codec}
	 * ({@link Fmp4#avcCodec}), its figures and its longest segment: of another profile or a higher
	 * level than browsers decode, over the bitrate, or in segments longer than {@code maxSegment}
	 * (the source's keyframes set where a segment may end).
	 */
	static String refusal(String codec, HlsOutput.Measured measured, double longestSegment, int maxKbps,
			Duration maxSegment) {
		if (codec == null || codec.length() != "avc1.640028".length()) {
			return "its init section holds no H.264 configuration";
		}
		int profile = Integer.parseInt(codec.substring(5, 7), 16);
		int level = Integer.parseInt(codec.substring(9, 11), 16);
		if (!PROFILES.contains(profile)) {
			return "H.264 profile " + profile + " is not Baseline, Main or High";
		}
		if (level > MAX_LEVEL) {
			return "H.264 level " + level / 10.0 + " is over " + MAX_LEVEL / 10.0;
		}
		if (measured.averageBps() > maxKbps * 1000L) {
			return measured.averageBps() / 1000 + " kbit/s, over original-max-kbps " + maxKbps;
		}
		if (longestSegment > maxSegment.toMillis() / 1000.0 + 0.001) {
			return String.format(Locale.ROOT, "its keyframes are up to %.1f s apart, over original-max-segment %d s",
					longestSegment, maxSegment.toSeconds());
		}
		return null;
	}

	/** The rendition's size: the source's pictures' (neither rotated nor stretched: {@link #refusal(MediaInfo, long, int, int)}). */
	static Plan.Quality quality(MediaInfo info) {
		return new Plan.Quality(NAME, info.video().width(), info.video().height(), 0);
	}

	/**
	 * The source's pictures, copied into fMP4 segments of about {@code segmentSeconds} (each ends on
	 * the first of the source's keyframes after that), on the media's clock as every other
	 * rendition: ffmpeg moves every stream by the file's start, as in the single pass.
	 */
	static List<String> command(String ffmpeg, MediaInfo info, FfmpegCommand.Input input, Path folder, int segmentSeconds) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
				"-progress", "pipe:1", "-stats_period", "1"));
		args.addAll(input.args());
		args.addAll(List.of("-map", "0:" + info.video().index(), "-c:v", "copy", "-an", "-sn", "-dn", "-map_metadata", "-1",
				"-f", "hls", "-hls_time", String.valueOf(segmentSeconds), "-hls_playlist_type", "vod", "-hls_segment_type",
				"fmp4", "-hls_flags", "independent_segments", "-hls_fmp4_init_filename", VideoFiles.INIT,
				"-hls_segment_filename", folder + "/seg_%05d.m4s", folder + "/" + VideoFiles.PLAYLIST));
		return args;
	}
}
