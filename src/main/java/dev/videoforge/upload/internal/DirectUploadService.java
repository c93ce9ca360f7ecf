package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.storage.DirectUploads.Part;
import dev.videoforge.storage.DirectUploads;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Uploads whose bytes go from the client straight into the store (S3 multipart with presigned
 * part URLs), for gateways that should not carry them. The server opens the upload, signs each
 * part for its exact size (the sizes follow from the length and the part size it chose, so a
 * client can store no byte more than it declared), and on completion checks the parts the store
 * holds, puts them together there, and finishes the upload as a tus one: the object becomes its one
 * piece, then probed, stored as the original and queued ({@link UploadFinisher}). Until then
 * nothing is acknowledged as uploaded; a completion that failed short of queueing can be sent again.
 */
@Service
class DirectUploadService {

	private static final Logger log = LoggerFactory.getLogger(DirectUploadService.class);
	private static final long MIB = 1024 * 1024;
	static final long MAX_PART_SIZE = 1024 * MIB;

	/** A direct upload as the server keeps it: the store's upload id and the part size chosen. */
	record Upload(Video video, String uploadId, long partSize) {

		int partCount() {
			return (int) Math.max(1, (video.uploadLength() + partSize - 1) / partSize);
		}

		long sizeOf(int number) {
			return number < partCount() ? partSize : video.uploadLength() - (long) (partCount() - 1) * partSize;
		}
	}

	/** A signed part: PUT exactly {@code size} bytes to {@code url}. */
	record SignedPart(int number, long size, URI url) {
	}

	private final UploadService uploads;
	private final UploadPieces pieces;
	private final UploadFinisher finisher;
	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final JdbcClient jdbc;

	DirectUploadService(UploadService uploads, UploadPieces pieces, UploadFinisher finisher, VideoCatalog catalog,
			BlobStore blobs, JdbcClient jdbc) {
		this.uploads = uploads;
		this.pieces = pieces;
		this.finisher = finisher;
		this.catalog = catalog;
		this.blobs = blobs;
		this.jdbc = jdbc;
	}

	/** The store's direct uploads, when this server offers them. */
	Optional<DirectUploads> offered() {
		return uploads.settings().direct() ? blobs.directUploads() : Optional.empty();
	}

	private DirectUploads store() {
		return offered().orElseThrow(() -> new Refusal.NotFound("direct_uploads_unavailable",
				"this server takes uploads through itself only (tus at /api/uploads, or /api/videos)"));
	}

	/** The part size for a file of {@code length} bytes: the setting, larger when 10,000 parts would not hold it. */
	long partSizeFor(long length) {
		long wanted = Math.max(uploads.settings().directPartSize().toBytes(), DirectUploads.MIN_PART_SIZE);
		long needed = (length + DirectUploads.MAX_PARTS - 1) / DirectUploads.MAX_PARTS;
		long size = Math.max(wanted, (needed + MIB - 1) / MIB * MIB);
		// At most 1 GiB: a client holds a part in memory while it sends it (10,000 of them: 10 TiB).
		return Math.min(size, MAX_PART_SIZE);
	}

	static String objectKey(String videoId) {
		return VideoFiles.uploads(videoId) + "direct";
	}

	/** Creates the video (as tus creation does: size, quota and disk checks) and opens the store's upload. */
	Upload create(CurrentUser owner, String title, String description, String visibility, String filename, long length) {
		DirectUploads store = store();
		Video video = uploads.create(owner, title, description, visibility, filename, length);
		long partSize = partSizeFor(length);
		String uploadId = null;
		try {
			uploadId = store.begin(objectKey(video.id()));
			jdbc.sql("INSERT INTO direct_uploads (video_id, upload_id, part_size, created_at) VALUES (?, ?, ?, ?)")
					.params(video.id(), uploadId, partSize, OffsetDateTime.now(ZoneOffset.UTC)).update();
			pieces.touch(video.id());
			return new Upload(video, uploadId, partSize);
		}
		catch (IOException | RuntimeException e) {
			// Nothing was acknowledged: no video is left that the client has no id for (what cannot be
			// removed now, with the store or the database away, the janitor removes later).
			abandon(video, uploadId);
			if (e instanceof IOException) {
				throw unavailable("the store could not open the upload now; try again shortly");
			}
			throw (RuntimeException) e;
		}
	}

	/** Whether the video is (or was) a direct upload, which tus does not answer for. */
	boolean isDirect(String videoId) {
		return jdbc.sql("SELECT COUNT(*) FROM direct_uploads WHERE video_id = ?").param(videoId).query(Integer.class).single() > 0;
	}

	/** The store's upload (by its id: some stores cannot list them by prefix), then the video; never fails. */
	private void abandon(Video video, String uploadId) {
		if (uploadId != null) {
			try {
				store().abort(objectKey(video.id()), uploadId);
			}
			catch (IOException | RuntimeException e) {
				log.warn("direct upload {}: could not abort it in the store (its lifecycle rule will): {}", video.id(), e.getMessage());
			}
		}
		try {
			uploads.discard(video);
		}
		catch (RuntimeException e) {
			log.warn("direct upload {}: could not remove it now (the janitor will): {}", video.id(), e.getMessage());
		}
	}

	/** The caller's direct upload still in progress; 404 for anyone else's, or one that is not direct. */
	Upload find(String id) {
		CurrentUser caller = CurrentUser.require();
		Video video = catalog.find(id).filter(v -> v.ownerId().equals(caller.id()))
				.orElseThrow(() -> Refusal.notFound("upload"));
		return jdbc.sql("SELECT upload_id, part_size FROM direct_uploads WHERE video_id = ?").param(id)
				.query((rs, n) -> new Upload(video, rs.getString("upload_id"), rs.getLong("part_size"))).optional()
				.orElseThrow(() -> Refusal.notFound("upload"));
	}

	/** Signs the numbered parts, each for its exact size. */
	List<SignedPart> sign(Upload upload, List<Integer> numbers) {
		DirectUploads store = store();
		requireUploading(upload);
		if (numbers == null || numbers.isEmpty() || numbers.size() > 1000) {
			throw new Refusal.Invalid("invalid_parts", "name 1 to 1000 part numbers");
		}
		List<SignedPart> signed = new ArrayList<>();
		for (Integer number : numbers) {
			if (number == null || number < 1 || number > upload.partCount()) {
				throw new Refusal.Invalid("invalid_parts", "this upload has parts 1 to " + upload.partCount());
			}
			long size = upload.sizeOf(number);
			signed.add(new SignedPart(number, size, store.signPart(objectKey(upload.video().id()), upload.uploadId(), number,
					size, uploads.settings().directUrlTtl())));
		}
		// A client asking for URLs is uploading: the janitor keeps the upload.
		pieces.touch(upload.video().id());
		return signed;
	}

	/** The parts the store holds so far (a resumed client sends the others). */
	List<Part> received(Upload upload) {
		requireUploading(upload);
		String key = objectKey(upload.video().id());
		try {
			return store().parts(key, upload.uploadId());
		}
		catch (BlobNotFoundException e) {
			try {
				if (blobs.stat(key).map(b -> b.size() == upload.video().uploadLength()).orElse(false)) {
					// Completed in the store already (the finishing failed): every part is there.
					List<Part> all = new ArrayList<>();
					for (int n = 1; n <= upload.partCount(); n++) {
						all.add(new Part(n, upload.sizeOf(n), ""));
					}
					return all;
				}
			}
			catch (IOException unreadable) {
				throw unavailable("the store could not be read now; try again shortly");
			}
			// The store dropped it (its lifecycle rule, or a store that expires unfinished uploads):
			// nothing can continue it, so it goes, and the client starts again.
			abandon(upload.video(), null);
			throw new Refusal.NotFound("upload_lost",
					"the store no longer has this upload's parts; upload the file again");
		}
		catch (IOException e) {
			throw unavailable("the store could not list the parts now; try again shortly");
		}
	}

	/**
	 * Puts the parts together in the store and finishes the upload (probe, original, queue); returns
	 * the video as it is then. Again after a completion that finished: the same answer, nothing new.
	 */
	Video complete(Upload upload) {
		DirectUploads store = store();
		String id = upload.video().id();
		String key = objectKey(id);
		ReentrantLock lock = uploads.lock(id);
		lock.lock();
		try {
			Video video = catalog.find(id).orElseThrow(() -> Refusal.notFound("upload"));
			if (!uploads.isUploading(video)) {
				return video; // completed before (a retry after a lost answer)
			}
			if (uploads.isStored(video)) {
				uploads.queueStored(video);
				pieces.clear(id);
				return catalog.find(id).orElseThrow(() -> Refusal.notFound("upload"));
			}
			if (pieces.offset(id) != video.uploadLength()) {
				putTogether(store, upload, key);
				try {
					pieces.record(id, 0, video.uploadLength(), key);
				}
				catch (Refusal raced) {
					// Another gateway completed it at the same moment and recorded the piece first.
					Video now = catalog.find(id).orElseThrow(() -> Refusal.notFound("upload"));
					if (!uploads.isUploading(now)) {
						return now;
					}
					if (pieces.offset(id) != video.uploadLength()) {
						throw raced;
					}
				}
			}
			finisher.finish(video);
			log.info("direct upload {} completed: {} bytes in {} parts", id, video.uploadLength(), upload.partCount());
			return catalog.find(id).orElseThrow(() -> Refusal.notFound("upload"));
		}
		catch (IOException e) {
			throw unavailable("the upload could not be finished now; send the completion again shortly");
		}
		finally {
			lock.unlock();
		}
	}

	/** Completes the store's upload after checking every part is there at its size; idempotent. */
	private void putTogether(DirectUploads store, Upload upload, String key) throws IOException {
		long length = upload.video().uploadLength();
		List<Part> parts;
		try {
			parts = store.parts(key, upload.uploadId());
		}
		catch (BlobNotFoundException e) {
			// Completed in the store before (then the finishing failed): the object is there.
			if (blobs.stat(key).map(b -> b.size() == length).orElse(false)) {
				return;
			}
			throw new Refusal.Conflict("upload_incomplete",
					"the store no longer has this upload's parts; delete it and upload again");
		}
		Map<Integer, Part> byNumber = new TreeMap<>();
		parts.forEach(p -> byNumber.put(p.number(), p));
		List<String> wrong = new ArrayList<>();
		List<Part> complete = new ArrayList<>();
		for (int n = 1; n <= upload.partCount(); n++) {
			Part part = byNumber.get(n);
			if (part == null) {
				wrong.add(n + " (missing)");
			}
			else if (part.size() != upload.sizeOf(n)) {
				wrong.add(n + " (" + part.size() + " bytes, not " + upload.sizeOf(n) + ")");
			}
			else {
				complete.add(part);
			}
		}
		if (byNumber.size() > upload.partCount() || !wrong.isEmpty()) {
			throw new Refusal.Conflict("upload_incomplete", "parts not there as signed: "
					+ String.join(", ", wrong.subList(0, Math.min(wrong.size(), 20))) + (wrong.size() > 20 ? ", …" : "")
					+ "; send them, then complete again");
		}
		store.complete(key, upload.uploadId(), complete);
	}

	/** Abandons the upload: the store's parts and the video go. */
	void cancel(Upload upload) {
		requireUploading(upload);
		ReentrantLock lock = uploads.lock(upload.video().id());
		lock.lock();
		try {
			try {
				store().abort(objectKey(upload.video().id()), upload.uploadId());
			}
			catch (IOException e) {
				throw unavailable("the store could not be reached to cancel the upload; try again shortly");
			}
			try {
				uploads.discard(upload.video());
			}
			catch (java.io.UncheckedIOException e) {
				throw unavailable("the upload could not be removed now; try again shortly");
			}
		}
		finally {
			lock.unlock();
		}
	}

	private void requireUploading(Upload upload) {
		if (!uploads.isStillUploading(upload.video().id())) {
			throw new Refusal.Conflict("upload_complete", "the upload is complete");
		}
	}

	Instant urlsExpireAt() {
		return Instant.now().plus(uploads.settings().directUrlTtl());
	}

	private static Refusal unavailable(String message) {
		return new Refusal.Unavailable("storage_unavailable", message, 5L);
	}
}
