package dev.videoforge.upload.internal;

import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.ApiException;
import dev.videoforge.shared.OnRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The start-up reconciliation of uploads: a video still UPLOADING whose bytes all arrived (its
 * staging file is complete, or its original is already stored) was stopped between its last
 * byte and its queueing by a crash; it is finished now, as the final chunk would have finished
 * it. Idempotent, so several processes starting at once, or a client re-sending its final chunk
 * meanwhile, finish each upload once.
 */
@Component
@OnRole("gateway")
class UploadRecovery {

	private static final Logger log = LoggerFactory.getLogger(UploadRecovery.class);

	private final VideoCatalog catalog;
	private final UploadService uploads;

	UploadRecovery(VideoCatalog catalog, UploadService uploads) {
		this.catalog = catalog;
		this.uploads = uploads;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		// Probing can take a while: readiness does not wait for it.
		Thread.ofVirtual().name("upload-recovery").start(() -> {
			try {
				recover();
			}
			catch (RuntimeException e) {
				log.warn("could not look for uploads interrupted by a stop: {}", e.getMessage());
			}
		});
	}

	/** Finishes every complete upload left UPLOADING; returns how many were queued. */
	int recover() {
		int queued = 0;
		for (String id : catalog.uploadingSince(Instant.now())) {
			ReentrantLock lock = uploads.lock(id);
			lock.lock();
			try {
				Optional<Video> video = catalog.find(id).filter(uploads::isUploading);
				if (video.isEmpty()) {
					continue;
				}
				Path staged = uploads.stagingFile(id);
				if (!uploads.isStored(video.get()) && sizeOf(staged) != video.get().uploadLength()) {
					continue; // not all bytes yet: the client resumes it, or the janitor forgets it
				}
				uploads.complete(video.get(), staged);
				queued++;
				log.info("upload {}: all bytes had arrived before the process stopped; finished now", id);
			}
			catch (ApiException e) {
				// Refused as its final chunk would have been (not media, beyond the limits): removed.
				log.info("upload {}: all bytes had arrived before the process stopped; refused now: {}", id, e.getMessage());
			}
			catch (RuntimeException e) {
				log.warn("upload {}: could not finish it after the stop: {}", id, e.getMessage());
			}
			finally {
				lock.unlock();
			}
		}
		return queued;
	}

	private static long sizeOf(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException e) {
			return -1;
		}
	}
}
