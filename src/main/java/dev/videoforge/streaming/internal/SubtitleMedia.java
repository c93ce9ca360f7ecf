package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.CaptionTrack;
import java.util.List;

/**
 * Adds a video's caption tracks to its master playlist as it is served, so that captions added
 * or removed after READY show at once without rewriting the stored master: one
 * {@code #EXT-X-MEDIA:TYPE=SUBTITLES} per track in group {@code subs} (RFC 8216 §4.3.4.1), and
 * {@code SUBTITLES="subs"} on every {@code #EXT-X-STREAM-INF} (§4.3.4.2.1: a variant names the
 * group it may be played with).
 */
final class SubtitleMedia {

	static final String GROUP = "subs";

	private SubtitleMedia() {
	}

	static String addTo(String master, List<CaptionTrack> tracks) {
		if (tracks.isEmpty()) {
			return master;
		}
		StringBuilder media = new StringBuilder();
		for (CaptionTrack track : tracks) {
			// §4.3.4.1: a quoted-string may not hold '"', CR or LF; labels are checked for controls already.
			String name = track.label().replace('"', '\'').replaceAll("[\\r\\n]", " ");
			media.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(GROUP).append("\",NAME=\"").append(name)
					.append("\",LANGUAGE=\"").append(track.language()).append("\",DEFAULT=NO,AUTOSELECT=YES,URI=\"")
					.append(track.playlistPath()).append("\"\n");
		}
		StringBuilder out = new StringBuilder(master.length() + media.length() + 64);
		boolean inserted = false;
		for (String line : master.split("\n", -1)) {
			if (line.startsWith("#EXT-X-STREAM-INF:")) {
				if (!inserted) {
					out.append(media);
					inserted = true;
				}
				out.append(line.contains("SUBTITLES=") ? line : line + ",SUBTITLES=\"" + GROUP + "\"").append('\n');
			}
			else {
				out.append(line).append('\n');
			}
		}
		out.setLength(out.length() - 1);
		return out.toString();
	}

	/** What the served master depends on besides the stored file: part of its ETag, so a caption change changes it. */
	static String version(List<CaptionTrack> tracks) {
		StringBuilder v = new StringBuilder();
		for (CaptionTrack t : tracks) {
			v.append(t.language()).append('\u0000').append(t.label()).append('\u0000').append(t.createdAt()).append('\u0001');
		}
		return Integer.toHexString(v.toString().hashCode());
	}
}
