package dev.videoforge.catalog;

import dev.videoforge.auth.CurrentUser;
import java.time.Instant;
import java.util.List;

/** A video as stored. Changes go through {@link VideoCatalog}, which guards the lifecycle. */
public record Video(String id, String ownerId, String ownerUsername, String title, String description,
		Visibility visibility, VideoStatus status, int progress, Double durationSeconds, Integer width, Integer height,
		List<Rendition> renditions, boolean hasThumbnail, String originalFilename, Long uploadLength, String error,
		Instant createdAt, Instant updatedAt, boolean downloadable, String posterKey, Instant playableAt) {

	/**
	 * Whether it plays from the start: READY, or PROCESSING with its first segments published
	 * (the rest are still being made; playlists grow until READY).
	 */
	public boolean playable() {
		return status == VideoStatus.READY || status == VideoStatus.PROCESSING && playableAt != null;
	}

	/** The file name of the poster in the video's renditions folder: the owner's pick, else the transcoder's. */
	public String posterFile() {
		return posterKey != null ? posterKey : VideoFiles.POSTER;
	}

	/**
	 * What viewers pick among: the picture renditions, or, for sound alone, the audio ones (the
	 * audio renditions of a video with pictures play beside every quality, they are not one).
	 */
	public List<Rendition> qualities() {
		List<Rendition> pictures = renditions.stream().filter(Rendition::hasPicture).toList();
		return pictures.isEmpty() ? renditions : pictures;
	}

	/** The audio renditions that are tracks of the source, the default one first. */
	public List<Rendition> audioTracks() {
		return renditions.stream().filter(r -> !r.hasPicture() && r.audio() != null).toList();
	}

	/** The track players start with: the rendition to put beside a quality's pictures (empty: none, or muxed in). */
	public java.util.Optional<Rendition> defaultAudio() {
		return audioTracks().stream().filter(r -> r.audio().isDefault()).findFirst();
	}

	/** Whether the caller (null for anonymous) may see this video at all: someone else's PRIVATE video is hidden. */
	public boolean visibleTo(CurrentUser caller) {
		return visibility != Visibility.PRIVATE || isOwnedBy(caller);
	}

	/** Whether the caller may change or delete it: its owner or an admin. */
	public boolean isOwnedBy(CurrentUser caller) {
		return caller != null && (caller.id().equals(ownerId) || caller.isAdmin());
	}
}
