package dev.videoforge.catalog;

import dev.videoforge.auth.CurrentUser;
import java.time.Instant;
import java.util.List;

/** A video as stored. Changes go through {@link VideoCatalog}, which guards the lifecycle. */
public record Video(String id, String ownerId, String ownerUsername, String title, String description,
		Visibility visibility, VideoStatus status, int progress, Double durationSeconds, Integer width, Integer height,
		List<Rendition> renditions, boolean hasThumbnail, String originalFilename, Long uploadLength, String error,
		Instant createdAt, Instant updatedAt, boolean downloadable, String posterKey) {

	/** The file name of the poster in the video's renditions folder: the owner's pick, else the transcoder's. */
	public String posterFile() {
		return posterKey != null ? posterKey : "thumbnail.jpg";
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
