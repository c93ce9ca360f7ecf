package dev.videoforge.catalog;

/**
 * Published after a video and its stored files were removed, so other modules drop what they hold
 * for it. {@code last} is the video as it was just before (null when it was already gone), for
 * those that tell others about the deletion (webhooks).
 */
public record VideoDeleted(String videoId, Video last) {

	public VideoDeleted(String videoId) {
		this(videoId, null);
	}
}
