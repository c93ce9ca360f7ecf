package dev.videoforge.upload.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import dev.videoforge.upload.UploadSettings;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets uploads nobody finished: a video still UPLOADING whose staged bytes have not changed
 * for {@code videoforge.upload.expiry} is removed with every byte of it.
 */
@Component
@OnRole(Role.GATEWAY)
class UploadJanitor {

	private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);

	private final VideoCatalog catalog;
	private final UploadPieces pieces;
	private final UploadRecovery recovery;
	private final UploadSettings settings;

	UploadJanitor(VideoCatalog catalog, UploadPieces pieces, UploadRecovery recovery, UploadSettings settings) {
		this.catalog = catalog;
		this.pieces = pieces;
		this.recovery = recovery;
		this.settings = settings;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT10M")
	void removeAbandonedUploads() {
		try {
			// Uploads whose every byte is in but whose finishing failed (the store away, a gateway
			// killed while finishing): finished now, by whichever gateway gets here first.
			recovery.recover();
			removeOlderThan(Instant.now().minus(settings.expiry()));
		}
		catch (RuntimeException e) {
			log.warn("could not look for abandoned uploads: {}", e.getMessage());
		}
	}

	/** Removes uploads untouched since {@code cutoff}; returns how many. */
	int removeOlderThan(Instant cutoff) {
		int removed = 0;
		for (String id : catalog.uploadingSince(cutoff)) {
			// Bytes received, or arriving, since the cutoff keep it (an upload may take longer than the expiry).
			if (pieces.lastActivity(id).filter(last -> last.isAfter(cutoff)).isPresent()) {
				continue;
			}
			catalog.remove(id);
			removed++;
			log.info("upload {} abandoned (no bytes since before {}): removed", id, cutoff);
		}
		// Pieces of uploads that were finished but not cleared (a stop or a database hiccup between).
		pieces.leftovers().forEach(pieces::clear);
		return removed;
	}
}
