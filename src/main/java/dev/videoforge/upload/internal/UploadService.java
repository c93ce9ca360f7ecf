package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoDeleted;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.media.MediaInfo;
import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.NotMediaException;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.upload.UploadSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What both upload routes share: the local files a gateway receives and inspects bytes in, and
 * finishing an upload (probe, store the original, queue the transcode) exactly once. The pieces of
 * an unfinished tus upload are not here but in storage ({@link UploadPieces}).
 */
@Service
class UploadService {

	static final String TRANSCODE_QUEUE = dev.videoforge.queue.Queues.TRANSCODE;
	private static final Logger log = LoggerFactory.getLogger(UploadService.class);

	private final VideoCatalog catalog;
	private final MediaProbe probe;
	private final BlobStore blobs;
	private final JobQueue queue;
	private final TransactionTemplate transaction;
	private final UploadSettings settings;
	private final Path staging;
	private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

	UploadService(VideoCatalog catalog, MediaProbe probe, BlobStore blobs, JobQueue queue,
			TransactionTemplate transaction, UploadSettings settings, @Value("${videoforge.data-dir}") Path dataDir)
			throws IOException {
		this.catalog = catalog;
		this.probe = probe;
		this.blobs = blobs;
		this.queue = queue;
		this.transaction = transaction;
		this.settings = settings;
		this.staging = settings.stagingDir() != null ? settings.stagingDir() : dataDir.resolve("uploads");
		Files.createDirectories(staging);
	}

	UploadSettings settings() {
		return settings;
	}

	/**
	 * A new file for the body of one PATCH while it arrives (then stored as a piece of the upload,
	 * see {@link UploadPieces}); unique, as requests for one upload may reach several gateways.
	 */
	Path receivingFile(String videoId) {
		return staging.resolve(videoId + "." + java.util.UUID.randomUUID().toString().substring(0, 8) + ".receiving");
	}

	/** A new file where this gateway puts a finished upload's pieces together to inspect and store it. */
	Path assemblyFile(String videoId) {
		return staging.resolve(videoId + "." + java.util.UUID.randomUUID().toString().substring(0, 8) + ".whole");
	}

	/** This process's scratch folder for uploads. */
	Path stagingDir() {
		return staging;
	}

	/** A fresh staging file path for a whole-file upload (multipart). */
	Path newStagingFile(String videoId) {
		return staging.resolve(videoId + ".multipart");
	}

	void checkSize(long length) {
		if (length < 0) {
			throw new Refusal.Invalid("invalid_length", "the upload length must not be negative");
		}
		if (length > settings.maxSize().toBytes()) {
			throw new Refusal.TooLarge("too_large",
					"the file is " + length + " bytes; the maximum is " + settings.maxSize().toBytes());
		}
		if (length == 0) {
			throw new Refusal.UnsupportedType("not_media", "an empty file is not media");
		}
	}

	Video create(CurrentUser owner, String title, String description, String visibility, String filename, long length) {
		checkSize(length);
		checkQuota(owner, length);
		checkFreeSpace(length);
		String cleanName = cleanFilename(filename);
		String effectiveTitle = title != null && !title.isBlank() ? title : defaultTitle(cleanName);
		// The row is the upload (its pieces are recorded beside it as they come): once committed,
		// any gateway answers for it, and it outlives a crash.
		return catalog.create(owner, effectiveTitle, description, Visibility.parse(visibility, Visibility.PUBLIC),
				cleanName, length);
	}

	/** The account's limits (settings): open uploads, videos, stored bytes. Administrators have none. */
	private void checkQuota(CurrentUser owner, long length) {
		if (owner.isAdmin()) {
			return;
		}
		VideoCatalog.Usage usage = catalog.usage(owner.id());
		if (usage.openUploads() >= settings.maxOpenUploads()) {
			throw new Refusal.Unacceptable("too_many_open_uploads", "this account has "
					+ usage.openUploads() + " unfinished uploads; finish or delete one first (the limit is "
					+ settings.maxOpenUploads() + ")");
		}
		if (settings.maxVideos() > 0 && usage.videos() >= settings.maxVideos()) {
			throw new Refusal.Unacceptable("video_quota_exceeded",
					"this account has " + usage.videos() + " videos, the most it may have");
		}
		if (usage.bytes() + length > settings.maxStored().toBytes()) {
			throw new Refusal.Unacceptable("storage_quota_exceeded",
					"this account stores " + usage.bytes() + " bytes; " + length + " more would pass its limit of "
							+ settings.maxStored().toBytes());
		}
	}

	/**
	 * Refuses (503, try later) when taking {@code incoming} more bytes would leave the disk of
	 * unfinished uploads with less than the free-space floor: a full disk loses everyone's uploads.
	 */
	void checkFreeSpace(long incoming) {
		long usable;
		try {
			usable = Files.getFileStore(staging).getUsableSpace();
		}
		catch (IOException e) {
			return;
		}
		if (usable - incoming < settings.minFreeSpace().toBytes()) {
			throw new Refusal.Unavailable("insufficient_storage",
					"the server is short of disk space for uploads; try again later", 300L);
		}
	}

	/** The last part of a client's file name, without control characters, at most 255 characters; null when nothing is left. */
	static String cleanFilename(String filename) {
		if (filename == null) {
			return null;
		}
		String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
		name = name.codePoints().filter(c -> !Character.isISOControl(c))
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
		if (name.isEmpty() || name.equals(".") || name.equals("..")) {
			return null;
		}
		return name.length() <= 255 ? name : name.substring(0, 255);
	}

	private static String defaultTitle(String filename) {
		if (filename == null || filename.isBlank()) {
			return "Untitled video";
		}
		int dot = filename.lastIndexOf('.');
		String base = dot > 0 ? filename.substring(0, dot) : filename;
		return base.length() > 200 ? base.substring(0, 200) : base;
	}

	/** Serialises work on one upload within this process (two PATCHes racing on the same offset). */
	ReentrantLock lock(String videoId) {
		return locks.computeIfAbsent(videoId, k -> new ReentrantLock());
	}

	/**
	 * Finishes an upload whose bytes are all in {@code file}: refuses non-media (415, everything
	 * removed) and media beyond the limits (422, everything removed), else stores the original and
	 * queues one transcode job. Safe to call again for a video that is already queued.
	 *
	 * <p>Order for crashes: the original is on the disk (the store forces it there) before the
	 * transaction that queues the video commits, and that commit is on the disk before the caller
	 * answers. A crash between the two leaves an UPLOADING video whose original is stored, which
	 * {@link UploadRecovery} queues at the next start.
	 */
	void complete(Video video, Path file) {
		if (!Files.exists(file) && isStored(video)) {
			// A completion that stored the original but could not queue it (the database was away):
			// the client's retried final chunk finishes the job.
			queue(video);
			return;
		}
		MediaInfo info;
		try {
			info = probe.probe(file, settings.maxDuration());
		}
		catch (NotMediaException e) {
			discard(video);
			throw new Refusal.UnsupportedType("not_media", e.getMessage());
		}
		checkLimits(video, info);
		try {
			blobs.moveIn(VideoFiles.original(video.id()), file);
		}
		catch (IOException e) {
			throw new UncheckedIOException("could not store the original of " + video.id(), e);
		}
		queue(video);
		log.info("upload {} complete: {} bytes, {} {}s{}{}", video.id(), video.uploadLength(), info.format(),
				String.format("%.2f", info.durationSeconds()),
				info.hasVideo() ? ", video " + info.video().codec() + " " + info.video().displayWidth() + "x" + info.video().displayHeight() : "",
				info.hasAudio() ? ", audio " + info.audio().codec() : "");
	}

	/** Queues an upload whose original is stored already (its completion stopped before queueing). */
	void queueStored(Video video) {
		queue(video);
	}

	private void queue(Video video) {
		transaction.executeWithoutResult(status -> {
			if (catalog.markQueued(video.id())) {
				queue.enqueue(dev.videoforge.queue.Queues.TRANSCODE_VIDEO, new dev.videoforge.queue.Queues.TranscodeVideo(video.id()),
						dev.videoforge.queue.Queues.transcodeKey(video.id()), video.ownerId());
			}
		});
	}

	/** Whether the whole original is already in storage (its upload completed up to queueing). */
	boolean isStored(Video video) {
		try {
			return blobs.stat(VideoFiles.original(video.id())).map(b -> b.size() == video.uploadLength()).orElse(false);
		}
		catch (IOException e) {
			return false;
		}
	}

	private void checkLimits(Video video, MediaInfo info) {
		String problem = null;
		if (info.durationSeconds() > settings.maxDuration().toSeconds()) {
			problem = "the media lasts " + Math.round(info.durationSeconds()) + " s; the maximum is "
					+ settings.maxDuration().toSeconds() + " s";
		}
		else if (info.hasVideo() && (info.video().displayWidth() > settings.maxWidth()
				|| info.video().displayHeight() > settings.maxHeight())) {
			problem = "the picture is " + info.video().displayWidth() + "x" + info.video().displayHeight()
					+ "; the maximum is " + settings.maxWidth() + "x" + settings.maxHeight();
		}
		if (problem != null) {
			discard(video);
			throw new Refusal.Unacceptable("media_refused", problem);
		}
	}

	/** Removes the video and every byte of it, if it is still an unfinished upload. */
	void discard(Video video) {
		if (isStillUploading(video.id())) {
			catalog.remove(video.id());
		}
	}

	@EventListener
	void onDeleted(VideoDeleted event) {
		try {
			Files.deleteIfExists(newStagingFile(event.videoId()));
			try (var files = Files.newDirectoryStream(staging, event.videoId() + ".*")) {
				for (Path file : files) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException e) {
			log.warn("could not remove the staging file of {}: {}", event.videoId(), e.getMessage());
		}
		locks.remove(event.videoId());
	}

	/** Whether the video still exists and has not completed its upload. */
	boolean isStillUploading(String videoId) {
		return catalog.find(videoId).map(this::isUploading).orElse(false);
	}

	boolean isUploading(Video video) {
		return video.status() == VideoStatus.UPLOADING;
	}
}
