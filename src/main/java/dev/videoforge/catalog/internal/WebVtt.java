package dev.videoforge.catalog.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes cleaned cues as WebVTT: one whole file, and the segmented HLS rendition (RFC 8216
 * §3.5 "WebVTT": each segment a WebVTT file with the cues that overlap it, and an
 * {@code X-TIMESTAMP-MAP} header). The segments have the video's own boundaries, so a player
 * fetches the captions of the segment it plays, and the subtitle playlist's
 * {@code EXT-X-TARGETDURATION} follows the same rule as the video's.
 */
public final class WebVtt {

	/**
	 * RFC 8216 §3.5: the header maps the cue times (LOCAL) to the media's timestamps (MPEGTS, 90
	 * kHz). Our fMP4 renditions count their time from 0, so cue time 0 is media time 0: hls.js
	 * and Safari then show a cue at the time it names.
	 */
	static final String TIMESTAMP_MAP = "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000";

	/** The segments would hold more than the budget: cues that each span a great many segments. */
	public static final class TooLarge extends RuntimeException {

		TooLarge(long budget) {
			super("the caption's cues would fill more than " + budget + " bytes of segments");
		}
	}

	/** A segmented rendition: the playlist and each segment's file, named {@code s<n>.vtt}. */
	public record Segmented(String playlist, List<String> segments) {
	}

	private WebVtt() {
	}

	/** The whole track as one file. */
	public static String write(List<CaptionParser.Cue> cues) {
		StringBuilder out = new StringBuilder("WEBVTT\n\n");
		for (CaptionParser.Cue cue : cues) {
			cue(cue, out);
		}
		return out.toString();
	}

	/**
	 * The track cut on the video's segment boundaries ({@code segmentSeconds}, the EXTINF values of
	 * a video rendition in order). A cue that spans a boundary is in both segments (players drop
	 * the repeat); cues after the last boundary belong to the last segment. The segments together
	 * hold at most {@code maxBytes} characters ({@link TooLarge} otherwise): a small file of cues
	 * that each last the whole of a long video would else be copied into every segment.
	 */
	public static Segmented segment(List<CaptionParser.Cue> cues, List<Double> segmentSeconds, double durationSeconds,
			long maxBytes) {
		List<Double> lengths = segmentSeconds.isEmpty() ? List.of(Math.max(durationSeconds, 0.001)) : segmentSeconds;
		double longest = lengths.stream().mapToDouble(Double::doubleValue).max().orElse(1);
		int target = Math.max(1, (int) Math.ceil(longest - 0.0005));
		StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:").append(target)
				.append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
		List<String> segments = new ArrayList<>();
		long start = 0;
		long total = 0;
		double elapsed = 0;
		for (int i = 0; i < lengths.size(); i++) {
			elapsed += lengths.get(i);
			boolean last = i == lengths.size() - 1;
			long end = last ? Long.MAX_VALUE : Math.round(elapsed * 1000);
			StringBuilder file = new StringBuilder("WEBVTT\n").append(TIMESTAMP_MAP).append("\n\n");
			for (CaptionParser.Cue cue : cues) {
				if (cue.start() < end && cue.end() > start) {
					cue(cue, file);
				}
			}
			total += file.length();
			if (total > maxBytes) {
				throw new TooLarge(maxBytes);
			}
			segments.add(file.toString());
			playlist.append("#EXTINF:").append(String.format(Locale.ROOT, "%.6f", lengths.get(i))).append(",\n")
					.append(segmentName(i)).append('\n');
			start = end;
		}
		playlist.append("#EXT-X-ENDLIST\n");
		return new Segmented(playlist.toString(), segments);
	}

	public static String segmentName(int index) {
		return "s" + index + ".vtt";
	}

	/** The EXTINF lengths of an HLS media playlist, in order. */
	public static List<Double> segmentLengths(String playlist) {
		List<Double> lengths = new ArrayList<>();
		for (String line : playlist.split("\n")) {
			if (line.startsWith("#EXTINF:")) {
				String value = line.substring("#EXTINF:".length());
				int comma = value.indexOf(',');
				lengths.add(Double.parseDouble((comma >= 0 ? value.substring(0, comma) : value).trim()));
			}
		}
		return lengths;
	}

	private static void cue(CaptionParser.Cue cue, StringBuilder out) {
		out.append(timestamp(cue.start())).append(" --> ").append(timestamp(cue.end())).append('\n').append(cue.text())
				.append("\n\n");
	}

	static String timestamp(long millis) {
		return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, (millis / 60_000) % 60,
				(millis / 1000) % 60, millis % 1000);
	}
}
