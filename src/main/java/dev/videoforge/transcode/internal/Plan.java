package dev.videoforge.transcode.internal;

import java.util.List;

/**
 * What one transcode makes. {@code rungs} is empty for audio-only media; {@code audioTracks} are
 * the audio renditions, one per audio track of the source, the default first (empty: silent).
 * Frame rate is a decimal string ffmpeg's fps filter takes; {@code tonemap} maps HDR to SDR
 * BT.709; {@code posterAt} is seconds into the video.
 */
record Plan(List<Rung> rungs, List<AudioTrack> audioTracks, int videoStreamIndex, String frameRate,
		int gopFrames, boolean deinterlace, boolean tonemap, double posterAt, Rung poster, Storyboard storyboard, double durationSeconds) {

	/** Frames the video rungs will have (0 for audio-only): duration times the constant frame rate. */
	long expectedFrames() {
		if (audioOnly()) {
			return 0;
		}
		return Math.max(1, Math.round(durationSeconds * fps()));
	}

	/** The output frame rate as a number (0 for audio-only). */
	double fps() {
		if (frameRate == null) {
			return 0;
		}
		int slash = frameRate.indexOf('/');
		return slash > 0 ? Double.parseDouble(frameRate.substring(0, slash)) / Double.parseDouble(frameRate.substring(slash + 1))
				: Double.parseDouble(frameRate);
	}

	boolean audioOnly() {
		return rungs.isEmpty();
	}

	/** Whether there is sound at all. */
	boolean audio() {
		return !audioTracks.isEmpty();
	}

	/**
	 * One audio rendition: its name (the folder, {@code audio} for the default track, then
	 * {@code audio2}, {@code audio3}...), the source's stream index, and the checked language and
	 * label of the master playlist's {@code EXT-X-MEDIA} ({@link AudioTrackNames}).
	 */
	record AudioTrack(String name, int streamIndex, String language, String label, boolean isDefault) {
	}

	/** One quality: name ({@code 720p}), picture size, target video bitrate in kbit/s. */
	record Rung(String name, int width, int height, int videoKbps) {
	}

	/**
	 * A sprite of {@code count} thumbnails of {@code width}x{@code height}, one every
	 * {@code intervalSeconds}, laid out {@code columns} across and {@code rows} down.
	 */
	record Storyboard(double intervalSeconds, int count, int columns, int rows, int width, int height) {
	}
}
