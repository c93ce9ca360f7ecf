package dev.videoforge.transcode.internal;

import java.util.List;

/**
 * What one transcode makes. {@code rungs} is empty for audio-only media. Frame rate is a
 * decimal string ffmpeg's fps filter takes; {@code posterAt} is seconds into the video.
 */
record Plan(List<Rung> rungs, boolean audio, int audioStreamIndex, int videoStreamIndex, String frameRate,
		int gopFrames, boolean deinterlace, double posterAt, Rung poster, Storyboard storyboard, double durationSeconds) {

	boolean audioOnly() {
		return rungs.isEmpty();
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
