package dev.videoforge.catalog;

import java.time.Instant;
import java.util.List;

/** The Video JSON of API.md. */
public record VideoJson(String id, String title, String description, Visibility visibility, VideoStatus status,
		int progress, Double durationSeconds, Integer width, Integer height, String thumbnailUrl, List<String> qualities,
		Owner owner, Instant createdAt, String error, boolean downloadable) {

	public record Owner(String id, String username) {
	}

	public static VideoJson of(Video video, PlaybackUrls urls) {
		String thumbnail = video.status() == VideoStatus.READY && video.hasThumbnail() ? urls.url(video, video.posterFile())
				: null;
		return new VideoJson(video.id(), video.title(), video.description(), video.visibility(), video.status(),
				video.progress(), video.durationSeconds(), video.width(), video.height(), thumbnail,
				video.renditions().stream().map(Rendition::name).toList(),
				new Owner(video.ownerId(), video.ownerUsername()), video.createdAt(), video.error(),
				video.downloadable());
	}
}
