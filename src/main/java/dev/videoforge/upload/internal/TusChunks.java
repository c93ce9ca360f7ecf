package dev.videoforge.upload.internal;

import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * The bytes of a tus PATCH (or of a POST with creation-with-upload): checked against the upload's
 * offset, length and chunk limit, read into a file with the checksum extension's digest, kept as
 * the upload's next piece ({@link UploadPieces}), and the upload finished when the last byte is in.
 * {@link TusController} speaks the protocol's headers and statuses; this is what happens to the bytes.
 */
@Component
class TusChunks {

	/** How often a long PATCH notes that its bytes are still arriving. */
	static final java.time.Duration ACTIVITY_EVERY = java.time.Duration.ofMinutes(1);
	static final String CHECKSUM_ALGORITHMS = TusController.CHECKSUM_ALGORITHMS;

	private final UploadService uploads;
	private final UploadPieces pieces;
	private final VideoCatalog catalog;
	private final UploadFinisher finisher;

	TusChunks(UploadService uploads, UploadPieces pieces, VideoCatalog catalog, UploadFinisher finisher) {
		this.uploads = uploads;
		this.pieces = pieces;
		this.catalog = catalog;
		this.finisher = finisher;
	}

	/**
	 * Appends {@code body} at {@code offset} (which must be where the upload stands); returns the new
	 * offset. Within this process one request per upload at a time; across gateways the pieces'
	 * table decides.
	 */
	long append(Video video, long offset, InputStream body, String checksumHeader) throws IOException {
		Checksum checksum = Checksum.parse(checksumHeader);
		// A piece is recorded only where the upload stands.
		ReentrantLock lock = uploads.lock(video.id());
		lock.lock();
		try {
			Video current = catalog.find(video.id()).orElseThrow(() -> Refusal.notFound("upload"));
			long length = current.uploadLength();
			if (!uploads.isUploading(current)) {
				// A re-sent final PATCH after the upload completed: answer as before, queue nothing new.
				if (offset == length) {
					drain(body);
					return length;
				}
				throw new Refusal.Conflict("offset_mismatch", "the upload is complete; its offset is " + length);
			}
			if (uploads.isStored(current)) {
				// Every byte arrived before, but queueing failed: finish now.
				if (offset != length) {
					throw new Refusal.Conflict("offset_mismatch", "Upload-Offset is " + offset + " but the upload is at " + length);
				}
				drain(body);
				uploads.queueStored(current);
				pieces.clear(current.id());
				return length;
			}
			// "If the offsets do not match, the Server MUST respond with the 409 Conflict status
			// without modifying the upload resource."
			long at = pieces.offset(current.id());
			if (offset != at) {
				throw new Refusal.Conflict("offset_mismatch", "Upload-Offset is " + offset + " but the upload is at " + at);
			}
			uploads.checkFreeSpace(length - offset);
			if (pieces.count(current.id()) >= uploads.settings().maxChunks()) {
				throw new Refusal.Invalid("too_many_chunks", "this upload has taken " + uploads.settings().maxChunks()
						+ " chunks, the most one upload may; send the rest in one, or larger chunks");
			}
			long written = receive(current.id(), offset, length, body, checksum);
			long newOffset = offset + written;
			if (newOffset == length) {
				finish(current, offset);
			}
			return newOffset;
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Reads the body into a file of this request and keeps it as the upload's next piece; returns
	 * how many bytes were kept. The 204 acknowledges the new offset: the piece is stored and recorded
	 * before it, or a resumed upload would carry on from an offset whose bytes are gone.
	 */
	private long receive(String videoId, long offset, long length, InputStream body, Checksum checksum) throws IOException {
		Path file = uploads.receivingFile(videoId);
		long remaining = length - offset;
		long written = 0;
		IOException broken = null;
		try {
			try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
				byte[] buffer = new byte[256 * 1024];
				int n;
				// Bytes arriving keep the upload alive for the janitor, however long one PATCH takes.
				pieces.touch(videoId);
				long touched = System.nanoTime();
				try {
					while ((n = body.read(buffer)) > 0) {
						if (System.nanoTime() - touched > ACTIVITY_EVERY.toNanos()) {
							pieces.touch(videoId);
							touched = System.nanoTime();
						}
						if (written + n > remaining) {
							throw new Refusal.Invalid("exceeds_length",
									"the body goes past the declared Upload-Length of " + length + " bytes");
						}
						out.write(buffer, 0, n);
						checksum.update(buffer, n);
						written += n;
					}
				}
				catch (IOException e) {
					// The client went away mid-body: what arrived is kept (it resumes from there), unless
					// a checksum was promised, which only a whole chunk can keep.
					broken = e;
				}
			}
			if (broken != null && checksum.isPresent()) {
				throw broken;
			}
			// checksum: "If the checksums do not match, the Server MUST respond with the 460 Checksum
			// Mismatch status ... The Server MUST NOT store the uploaded chunk".
			if (broken == null && !checksum.matches()) {
				throw new Refusal.ChecksumMismatch("checksum_mismatch", "the chunk does not match Upload-Checksum");
			}
			if (written > 0) {
				pieces.add(videoId, offset, written, file);
			}
			if (broken != null) {
				throw broken;
			}
			return written;
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	/**
	 * Every byte is in: the upload is finished ({@link UploadFinisher}: put together, probed,
	 * stored, queued). When finishing fails short of storing the original (503: the probe is busy,
	 * the disk short, the store away), the last chunk is given back, so the client's retry sends it
	 * again and finishes the upload then, instead of finding it complete and never finished.
	 * Refusals (415, 422) have removed the upload.
	 */
	private void finish(Video video, long lastChunkStart) {
		try {
			finisher.finish(video);
		}
		catch (IOException | RuntimeException e) {
			if (uploads.isStillUploading(video.id()) && !uploads.isStored(video)) {
				pieces.dropFrom(video.id(), lastChunkStart);
			}
			if (e instanceof IOException) {
				throw new Refusal.Unavailable("storage_unavailable",
						"the upload's bytes could not be put together now; send the last chunk again shortly", 5L);
			}
			throw (RuntimeException) e;
		}
	}

	private static void drain(InputStream body) throws IOException {
		body.transferTo(java.io.OutputStream.nullOutputStream());
	}

	/** The checksum extension's Upload-Checksum header: {@code <algorithm> <Base64 digest>}. */
	static final class Checksum {

		private final MessageDigest digest;
		private final byte[] expected;

		private Checksum(MessageDigest digest, byte[] expected) {
			this.digest = digest;
			this.expected = expected;
		}

		static Checksum parse(String header) {
			if (header == null || header.isBlank()) {
				return new Checksum(null, null);
			}
			String[] parts = header.trim().split(" ", 2);
			if (parts.length != 2) {
				throw new Refusal.Invalid("invalid_checksum", "Upload-Checksum is '<algorithm> <base64 digest>'");
			}
			String algorithm = switch (parts[0].toLowerCase(Locale.ROOT)) {
				case "sha1" -> "SHA-1";
				case "sha256" -> "SHA-256";
				case "md5" -> "MD5";
				// "The Server MUST respond with 400 Bad Request if the checksum algorithm is not supported".
				default -> throw new Refusal.Invalid("checksum_algorithm_unsupported",
						"supported checksum algorithms: " + CHECKSUM_ALGORITHMS);
			};
			try {
				return new Checksum(MessageDigest.getInstance(algorithm), Base64.getDecoder().decode(parts[1].trim()));
			}
			catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
			catch (IllegalArgumentException e) {
				throw new Refusal.Invalid("invalid_checksum", "the Upload-Checksum digest is not Base64");
			}
		}

		boolean isPresent() {
			return digest != null;
		}

		void update(byte[] buffer, int length) {
			if (digest != null) {
				digest.update(buffer, 0, length);
			}
		}

		boolean matches() {
			return digest == null || MessageDigest.isEqual(digest.digest(), expected);
		}
	}
}
