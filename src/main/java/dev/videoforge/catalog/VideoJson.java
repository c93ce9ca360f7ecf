package dev.videoforge.catalog;

import java.time.Instant;
import java.util.List;

/** The Video JSON of API.md. */
public record VideoJson(String id, String title, String description, Visibility visibility, VideoStatus status,
		int progress, Double durationSeconds, Integer width, Integer height, String thumbnailUrl, List<String> qualities,
		Owner owner, Instant createdAt, String error, List<Caption> captions) {

	public record Owner(String id, String username) {
	}

	/** A caption track: {@code url} is its whole WebVTT file (signed like every file of a non-PUBLIC video). */
	public record Caption(String language, String label, String url, String source) {
	}

	/** Without its caption tracks (a video just created has none). */
	public static VideoJson of(Video video, PlaybackUrls urls) {
		return of(video, urls, List.of());
	}

	public static VideoJson of(Video video, PlaybackUrls urls, List<CaptionTrack> captions) {
		String thumbnail = video.status() == VideoStatus.READY && video.hasThumbnail() ? urls.url(video, "thumbnail.jpg")
				: null;
		return new VideoJson(video.id(), video.title(), video.description(), video.visibility(), video.status(),
				video.progress(), video.durationSeconds(), video.width(), video.height(), thumbnail,
				video.renditions().stream().map(Rendition::name).toList(),
				new Owner(video.ownerId(), video.ownerUsername()), video.createdAt(), video.error(),
				video.status() != VideoStatus.READY ? List.of() : captions.stream()
						.map(c -> new Caption(c.language(), c.label(), urls.url(video, c.vttPath()), c.source())).toList());
	}
}
