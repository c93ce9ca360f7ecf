package dev.videoforge.upload.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bytes of unfinished tus uploads, staged where every gateway reads them: each kept PATCH body
 * is one piece, an object of the {@link BlobStore} ({@link VideoFiles#uploads}) recorded in
 * table {@code upload_pieces}. The upload's offset is the sum of its pieces, so a client can go on
 * through any gateway, and a gateway that dies loses nothing it acknowledged: a piece is stored
 * (on S3, or forced to the local disk) and recorded before the PATCH is answered.
 */
@Component
class UploadPieces {

	private static final Logger log = LoggerFactory.getLogger(UploadPieces.class);

	/** One recorded piece: {@code size} bytes of the upload from {@code start}, in object {@code key}. */
	record Piece(long start, long size, String key, Instant receivedAt) {
	}

	private final JdbcClient jdbc;
	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final TransactionTemplate transaction;

	UploadPieces(JdbcClient jdbc, BlobStore blobs, TransactionTemplate transaction, VideoCatalog catalog) {
		this.catalog = catalog;
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.transaction = transaction;
	}

	/** How many bytes of the upload have been received and kept. */
	long offset(String videoId) {
		return jdbc.sql("SELECT COALESCE(SUM(size), 0) FROM upload_pieces WHERE video_id = ?").param(videoId)
				.query(Long.class).single();
	}

	/** The pieces in order. */
	List<Piece> list(String videoId) {
		return jdbc.sql("SELECT start_offset, size, blob_key, received_at FROM upload_pieces WHERE video_id = ? ORDER BY start_offset")
				.param(videoId)
				.query((rs, n) -> new Piece(rs.getLong("start_offset"), rs.getLong("size"), rs.getString("blob_key"),
						rs.getObject("received_at", OffsetDateTime.class).toInstant()))
				.list();
	}

	/** When the last piece arrived, if any did. */
	Optional<Instant> lastReceived(String videoId) {
		return jdbc.sql("SELECT MAX(received_at) FROM upload_pieces WHERE video_id = ?").param(videoId)
				.query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
				.single();
	}

	/**
	 * Stores {@code file} (the whole body of one PATCH, {@code size} bytes) as the piece starting at
	 * {@code start}, and records it if the upload still stands at {@code start} and is still
	 * UPLOADING; the file is moved into the store. On a refusal (409: another request got there
	 * first) the stored object is removed again and nothing changes.
	 */
	void add(String videoId, long start, long size, Path file) throws IOException {
		// A key of its own per attempt: two gateways racing on one offset never overwrite each other's piece.
		String key = VideoFiles.uploads(videoId) + String.format("%020d", start) + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
		blobs.moveIn(key, file);
		try {
			record(videoId, start, size, key);
		}
		catch (RuntimeException e) {
			deleteQuietly(key);
			throw e;
		}
	}

	/**
	 * Records the stored object {@code key} as the piece at {@code start}, if the upload still
	 * stands at {@code start} and is still UPLOADING (409 otherwise; the object is left as it is).
	 */
	void record(String videoId, long start, long size, String key) {
		try {
			transaction.executeWithoutResult(status -> {
				VideoStatus state = catalog.lock(videoId).orElseThrow(() -> Refusal.notFound("upload"));
				if (state != VideoStatus.UPLOADING) {
					throw new Refusal.Conflict("offset_mismatch", "the upload is complete");
				}
				long current = offset(videoId);
				if (current != start) {
					throw new Refusal.Conflict("offset_mismatch", "Upload-Offset is " + start + " but the upload is at " + current);
				}
				jdbc.sql("INSERT INTO upload_pieces (video_id, start_offset, size, blob_key, received_at) VALUES (?, ?, ?, ?, ?)")
						.params(videoId, start, size, key, OffsetDateTime.now(ZoneOffset.UTC)).update();
			});
		}
		catch (DuplicateKeyException e) {
			throw new Refusal.Conflict("offset_mismatch", "another request added the bytes at offset " + start);
		}
	}

	/** Forgets the pieces from {@code start} on (the last chunk given back when finishing must wait). */
	void dropFrom(String videoId, long start) {
		List<Piece> dropped = list(videoId).stream().filter(p -> p.start() >= start).toList();
		jdbc.sql("DELETE FROM upload_pieces WHERE video_id = ? AND start_offset >= ?").params(videoId, start).update();
		dropped.forEach(p -> deleteQuietly(p.key()));
	}

	/**
	 * Writes the whole upload, piece after piece, to {@code target} (replacing it); fails unless
	 * they are exactly {@code length} bytes with no gap (another gateway may have finished it and
	 * cleared them meanwhile).
	 */
	void assemble(String videoId, Path target, long length) throws IOException {
		try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.WRITE)) {
			long expected = 0;
			for (Piece piece : list(videoId)) {
				if (piece.start() != expected) {
					throw new IOException("upload " + videoId + " has a gap at " + expected + " (next piece at " + piece.start() + ")");
				}
				try (InputStream in = blobs.open(piece.key(), 0, piece.size())) {
					long copied = in.transferTo(out);
					if (copied != piece.size()) {
						throw new IOException("piece " + piece.key() + " holds " + copied + " bytes, not " + piece.size());
					}
				}
				expected += piece.size();
			}
			if (expected != length) {
				throw new IOException("upload " + videoId + " has " + expected + " bytes in its pieces, not " + length);
			}
		}
	}

	/** Uploads that still have pieces though they are no longer UPLOADING (finished, pieces not cleared). */
	List<String> leftovers() {
		return jdbc.sql("""
				SELECT DISTINCT p.video_id FROM upload_pieces p JOIN videos v ON v.id = p.video_id
				WHERE v.status <> 'UPLOADING'""").query(String.class).list();
	}

	/**
	 * Removes every piece of the upload, objects then rows (a stop between leaves rows that
	 * {@link #leftovers()} finds again), for an upload that was finished or is gone. Never fails:
	 * what it could not remove is removed later.
	 */
	void clear(String videoId) {
		try {
			blobs.deletePrefix(VideoFiles.uploads(videoId));
			jdbc.sql("DELETE FROM upload_pieces WHERE video_id = ?").param(videoId).update();
		}
		catch (IOException | RuntimeException e) {
			log.warn("could not remove the staged pieces of upload {} (the janitor will): {}", videoId, e.getMessage());
		}
	}

	/** How many pieces the upload has. */
	int count(String videoId) {
		return jdbc.sql("SELECT COUNT(*) FROM upload_pieces WHERE video_id = ?").param(videoId).query(Integer.class).single();
	}

	/** Notes that bytes of the upload are arriving now (the janitor keeps an upload that is active). */
	void touch(String videoId) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		if (jdbc.sql("UPDATE upload_progress SET active_at = ? WHERE video_id = ?").params(now, videoId).update() == 0) {
			try {
				jdbc.sql("INSERT INTO upload_progress (video_id, active_at) VALUES (?, ?)").params(videoId, now).update();
			}
			catch (DuplicateKeyException raced) {
				jdbc.sql("UPDATE upload_progress SET active_at = ? WHERE video_id = ?").params(now, videoId).update();
			}
			catch (org.springframework.dao.DataIntegrityViolationException gone) {
				// The video was deleted meanwhile: nothing to keep.
			}
		}
	}

	/** When bytes of the upload last arrived or were arriving, if ever. */
	Optional<Instant> lastActivity(String videoId) {
		Optional<Instant> active = jdbc.sql("SELECT active_at FROM upload_progress WHERE video_id = ?").param(videoId)
				.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
		Optional<Instant> received = lastReceived(videoId);
		return java.util.stream.Stream.of(active, received).flatMap(Optional::stream).max(Instant::compareTo);
	}


	private void deleteQuietly(String key) {
		try {
			blobs.delete(key);
		}
		catch (IOException e) {
			log.warn("could not remove the staged piece {}: {}", key, e.getMessage());
		}
	}
}
