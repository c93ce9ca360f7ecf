package dev.videoforge.upload.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.OnRole;
import dev.videoforge.upload.UploadSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
@OnRole("gateway")
class UploadJanitor {

	private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);

	private final VideoCatalog catalog;
	private final UploadService uploads;
	private final UploadSettings settings;

	UploadJanitor(VideoCatalog catalog, UploadService uploads, UploadSettings settings) {
		this.catalog = catalog;
		this.uploads = uploads;
		this.settings = settings;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT10M")
	void removeAbandonedUploads() {
		try {
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
			Path staged = uploads.stagingFile(id);
			try {
				if (Files.exists(staged) && Files.getLastModifiedTime(staged).toInstant().isAfter(cutoff)) {
					continue;
				}
			}
			catch (IOException e) {
				continue;
			}
			catalog.remove(id);
			removed++;
			log.info("upload {} abandoned (no bytes since before {}): removed", id, cutoff);
		}
		return removed;
	}
}
