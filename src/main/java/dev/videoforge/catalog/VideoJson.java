package dev.videoforge.catalog;

import java.time.Instant;
import java.util.List;

/**
 * The Video JSON of API.md. {@code playable}: it plays from the start, READY or still PROCESSING
 * with its first segments published ({@link Video#playable()}).
 */
public record VideoJson(String id, String title, String description, Visibility visibility, VideoStatus status,
		int progress, Double durationSeconds, Integer width, Integer height, String thumbnailUrl, List<String> qualities,
		Owner owner, Instant createdAt, String error, boolean playable, List<Audio> audioTracks, List<Caption> captions,
		boolean downloadable) {

	public record Owner(String id, String username) {
	}

	/**
	 * An audio track: {@code name} is its rendition ({@code audio/index.m3u8}), {@code language}
	 * BCP 47 ({@code und} when the source did not say), {@code default} the one players start with.
	 */
	public record Audio(String name, String language, String label,
			@com.fasterxml.jackson.annotation.JsonProperty("default") boolean isDefault) {
	}

	/** A caption track: {@code url} is its whole WebVTT file (signed like every file of a non-PUBLIC video). */
	public record Caption(String language, String label, String url, String source) {
	}

	/** The video as a client sees it, with its caption tracks ({@link Captions#list}; none for a video just created). */
	public static VideoJson of(Video video, PlaybackUrls urls, List<CaptionTrack> captions) {
		boolean ready = video.status() == VideoStatus.READY;
		String thumbnail = ready && video.hasThumbnail() ? urls.url(video, video.posterFile()) : null;
		return new VideoJson(video.id(), video.title(), video.description(), video.visibility(), video.status(),
				video.progress(), video.durationSeconds(), video.width(), video.height(), thumbnail,
				video.qualities().stream().map(Rendition::name).toList(),
				new Owner(video.ownerId(), video.ownerUsername()), video.createdAt(), video.error(), video.playable(),
				video.audioTracks().stream()
						.map(r -> new Audio(r.name(), r.audio().language(), r.audio().label(), r.audio().isDefault())).toList(),
				ready ? captions.stream().map(c -> new Caption(c.language(), c.label(), urls.url(video, c.vttPath()), c.source()))
						.toList() : List.of(),
				video.downloadable());
	}
}
