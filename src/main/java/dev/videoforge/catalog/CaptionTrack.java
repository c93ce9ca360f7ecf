package dev.videoforge.catalog;

import java.time.Instant;
import java.util.Locale;

/**
 * One caption track of a video: its BCP 47 language (canonical case, unique per video), label,
 * where it came from ({@code uploaded} or {@code embedded}) and when it was last stored. Its
 * files live under the video's renditions prefix in {@code captions/<language, lowercased>/}:
 * {@code full.vtt} (the whole track), {@code index.m3u8} and {@code s<n>.vtt} (the segmented rendition).
 */
public record CaptionTrack(String language, String label, String source, Instant createdAt) {

	public static final String UPLOADED = "uploaded";
	public static final String EMBEDDED = "embedded";

	/** The track's folder inside the video's files: lowercase letters, digits and hyphens only. */
	public String folder() {
		return "captions/" + language.toLowerCase(Locale.ROOT) + "/";
	}

	/** The whole track as one WebVTT file. */
	public String vttPath() {
		return folder() + "full.vtt";
	}

	/** The segmented WebVTT rendition's playlist. */
	public String playlistPath() {
		return folder() + VideoFiles.PLAYLIST;
	}
}
