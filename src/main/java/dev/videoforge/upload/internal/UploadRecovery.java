package dev.videoforge.upload.internal;

import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
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
 * pieces add up to its length, or its original is already stored) was stopped between its last
 * byte and its queueing by a crash; it is finished now, as the final chunk would have finished
 * it. Idempotent, so several processes starting at once, or a client re-sending its final chunk
 * meanwhile, finish each upload once.
 */
@Component
@OnRole(Role.GATEWAY)
class UploadRecovery {

	private static final Logger log = LoggerFactory.getLogger(UploadRecovery.class);

	private final VideoCatalog catalog;
	private final UploadService uploads;
	private final UploadPieces pieces;
	private final UploadFinisher finisher;

	UploadRecovery(VideoCatalog catalog, UploadService uploads, UploadPieces pieces, UploadFinisher finisher) {
		this.catalog = catalog;
		this.uploads = uploads;
		this.pieces = pieces;
		this.finisher = finisher;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		// Probing can take a while: readiness does not wait for it.
		Thread.ofVirtual().name("upload-recovery").start(() -> {
			try {
				sweepScratch();
				importStagingFiles();
				recover();
			}
			catch (RuntimeException e) {
				log.warn("could not look for uploads interrupted by a stop: {}", e.getMessage());
			}
		});
	}

	/**
	 * Removes what a stopped process left in its scratch folder: bodies of PATCHes that were
	 * arriving, finished uploads being put together (not recently touched: the folder may be shared).
	 */
	void sweepScratch() {
		Instant before = Instant.now().minus(java.time.Duration.ofMinutes(10));
		try (var files = Files.newDirectoryStream(uploads.stagingDir(), "*.{receiving,whole}")) {
			for (Path file : files) {
				if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException e) {
			log.warn("could not sweep the upload scratch folder {}: {}", uploads.stagingDir(), e.getMessage());
		}
	}

	/**
	 * Uploads staged by an earlier version, as {@code <id>.part} files in the scratch folder: each
	 * becomes the first piece of its upload (what was acknowledged stays acknowledged), or is
	 * removed when its upload is gone or already has pieces.
	 */
	void importStagingFiles() {
		try (var files = Files.newDirectoryStream(uploads.stagingDir(), "*.part")) {
			for (Path file : files) {
				String id = file.getFileName().toString().replaceFirst("\\.part$", "");
				try {
					long size = Files.size(file);
					if (uploads.isStillUploading(id) && pieces.count(id) == 0 && size > 0) {
						pieces.add(id, 0, size, file);
						log.info("upload {}: its {} bytes staged by an earlier version are now its first piece", id, size);
					}
					Files.deleteIfExists(file);
				}
				catch (IOException | RuntimeException e) {
					log.warn("upload {}: could not take over its staged bytes: {}", id, e.getMessage());
				}
			}
		}
		catch (IOException e) {
			log.warn("could not look for uploads staged by an earlier version in {}: {}", uploads.stagingDir(), e.getMessage());
		}
	}

	/** Finishes every complete upload left UPLOADING; returns how many were queued. */
	int recover() {
		int queued = 0;
		for (String id : catalog.uploadingSince(Instant.now())) {
			ReentrantLock lock = uploads.lock(id);
			// A PATCH of this upload is arriving in this process (it may take hours): it finishes
			// the upload itself if it is the last chunk; the janitor's run does not wait for it.
			if (!lock.tryLock()) {
				continue;
			}
			try {
				Optional<Video> video = catalog.find(id).filter(uploads::isUploading);
				if (video.isEmpty()) {
					continue;
				}
				if (uploads.isStored(video.get())) {
					uploads.queueStored(video.get()); // stored before the stop: only queued now
					pieces.clear(id);
				}
				else if (pieces.offset(id) == video.get().uploadLength()) {
					finisher.finish(video.get());
				}
				else {
					continue; // not all bytes yet: the client resumes it, or the janitor forgets it
				}
				queued++;
				log.info("upload {}: all bytes had arrived before the process stopped; finished now", id);
			}
			catch (Refusal e) {
				// Refused as its final chunk would have been (not media, beyond the limits): removed.
				log.info("upload {}: all bytes had arrived before the process stopped; refused now: {}", id, e.getMessage());
			}
			catch (RuntimeException | IOException e) {
				log.warn("upload {}: could not finish it after the stop: {}", id, e.getMessage());
			}
			finally {
				lock.unlock();
			}
		}
		return queued;
	}

}
