package dev.videoforge.streaming.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries a signature from a playlist's URL to every URL inside it. A player resolves the
 * relative URIs of a playlist (RFC 8216 §4.1) without the playlist's query string, so without
 * this a signed master would lead to unsigned, refused segments.
 */
final class PlaylistSigner {

	private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");

	private PlaylistSigner() {
	}

	/** Appends {@code query} to every URI line and every {@code URI="…"} attribute. */
	static String signPlaylist(String playlist, String query) {
		if (query.isEmpty()) {
			return playlist;
		}
		StringBuilder out = new StringBuilder(playlist.length() + 256);
		for (String line : playlist.split("\n", -1)) {
			String trimmed = line.strip();
			if (trimmed.isEmpty()) {
				out.append(line);
			}
			else if (trimmed.startsWith("#")) {
				Matcher m = URI_ATTRIBUTE.matcher(line);
				out.append(m.replaceAll(r -> Matcher.quoteReplacement("URI=\"" + withQuery(r.group(1), query) + "\"")));
			}
			else {
				out.append(withQuery(trimmed, query));
			}
			out.append('\n');
		}
		out.setLength(out.length() - 1);
		return out.toString();
	}

	/** Appends {@code query} to the picture URL of every cue (before its {@code #xywh=} fragment). */
	static String signCues(String vtt, String query) {
		if (query.isEmpty()) {
			return vtt;
		}
		StringBuilder out = new StringBuilder(vtt.length() + 1024);
		for (String line : vtt.split("\n", -1)) {
			String trimmed = line.strip();
			boolean payload = !trimmed.isEmpty() && !trimmed.startsWith("WEBVTT") && !trimmed.contains("-->")
					&& !trimmed.startsWith("NOTE") && !trimmed.contains(" ");
			out.append(payload ? withQuery(trimmed, query) : line).append('\n');
		}
		out.setLength(out.length() - 1);
		return out.toString();
	}

	private static String withQuery(String uri, String query) {
		int hash = uri.indexOf('#');
		String fragment = hash >= 0 ? uri.substring(hash) : "";
		String base = hash >= 0 ? uri.substring(0, hash) : uri;
		return base + (base.contains("?") ? "&" : "?") + query + fragment;
	}
}
