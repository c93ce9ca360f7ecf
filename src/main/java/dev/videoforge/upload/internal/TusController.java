package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.ApiException;
import dev.videoforge.shared.OnRole;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * tus 1.0.0 resumable upload (https://tus.io/protocols/resumable-upload): core protocol plus the
 * creation, creation-with-upload, termination and checksum extensions. The upload id is the
 * video id. Every rule below cites the line of the protocol it follows.
 */
@RestController
@RequestMapping("/api/uploads")
@OnRole("gateway")
class TusController {

	static final String VERSION = "1.0.0";
	static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
	static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum";
	static final String CHECKSUM_ALGORITHMS = "sha1,sha256,md5";
	/** How often a long PATCH notes that its bytes are still arriving. */
	static final java.time.Duration ACTIVITY_EVERY = java.time.Duration.ofMinutes(1);

	private final UploadService uploads;
	private final UploadPieces pieces;
	private final VideoCatalog catalog;
	private final UploadFinisher finisher;
	private final DirectUploadService direct;

	TusController(UploadService uploads, UploadPieces pieces, VideoCatalog catalog, UploadFinisher finisher,
			DirectUploadService direct) {
		this.uploads = uploads;
		this.pieces = pieces;
		this.catalog = catalog;
		this.finisher = finisher;
		this.direct = direct;
	}

	/** "An OPTIONS request MAY be used to gather information about the Server's current configuration." */
	@RequestMapping(method = RequestMethod.OPTIONS)
	ResponseEntity<Void> options() {
		return ResponseEntity.noContent().header("Tus-Version", VERSION).header("Tus-Extension", EXTENSIONS)
				.header("Tus-Max-Size", String.valueOf(uploads.settings().maxSize().toBytes()))
				.header("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS).build();
	}

	/** creation: "The Client MUST send a POST request against a known upload creation URL". */
	@RequestMapping(method = RequestMethod.POST)
	ResponseEntity<Void> create(@RequestHeader(name = "Upload-Length", required = false) String lengthHeader,
			@RequestHeader(name = "Upload-Defer-Length", required = false) String defer,
			@RequestHeader(name = "Upload-Metadata", required = false) String metadataHeader,
			@RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
			@RequestHeader(name = "Upload-Checksum", required = false) String checksum, HttpServletRequest request)
			throws IOException {
		if (defer != null) {
			// We do not advertise creation-defer-length, so a deferred length is not understood.
			throw ApiException.badRequest("defer_length_unsupported", "Upload-Defer-Length is not supported; send Upload-Length");
		}
		long length = parseNonNegative(lengthHeader, "Upload-Length");
		Map<String, String> metadata = parseMetadata(metadataHeader);
		Checksum.parse(checksum);
		// "If the length of the upload exceeds the maximum, which MAY be specified using the
		// Tus-Max-Size header, the Server MUST respond with the 413 Request Entity Too Large status."
		Video video = uploads.create(CurrentUser.require(), metadata.get("title"), metadata.get("description"),
				metadata.get("visibility"), metadata.get("filename"), length);
		long offset = 0;
		if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
			// creation-with-upload: the body of the POST is the first chunk. A refused chunk refuses
			// the whole creation, so no upload is left that the client has no Location for.
			try {
				offset = append(video, 0, request.getInputStream(), checksum);
			}
			catch (RuntimeException | IOException e) {
				if (catalog.find(video.id()).filter(uploads::isUploading).isPresent()) {
					uploads.discard(video);
				}
				throw e;
			}
		}
		return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/api/uploads/" + video.id())
				.header("Upload-Offset", String.valueOf(offset)).build();
	}

	/** "The Server MUST always include the Upload-Offset header in the response for a HEAD request". */
	@RequestMapping(path = "/{id}", method = RequestMethod.HEAD)
	ResponseEntity<Void> head(@PathVariable String id) {
		Video video = owned(id);
		// "The Server MUST prevent the client and/or proxies from caching the response by adding the
		// Cache-Control: no-store header to the response."
		var response = ResponseEntity.ok().header("Upload-Offset", String.valueOf(offsetOf(video)))
				.header("Upload-Length", String.valueOf(video.uploadLength())).header(HttpHeaders.CACHE_CONTROL, "no-store");
		// creation: "If an upload contains additional metadata, responses to HEAD requests MUST
		// include the Upload-Metadata header and its value as specified by the Client".
		String metadata = metadataOf(video);
		if (!metadata.isEmpty()) {
			response.header("Upload-Metadata", metadata);
		}
		return response.build();
	}

	@RequestMapping(path = "/{id}", method = RequestMethod.PATCH)
	ResponseEntity<Void> patch(@PathVariable String id,
			@RequestHeader(name = "Upload-Offset", required = false) String offsetHeader,
			@RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
			@RequestHeader(name = "Upload-Checksum", required = false) String checksum, HttpServletRequest request)
			throws IOException {
		// "All PATCH requests MUST use Content-Type: application/offset+octet-stream, otherwise the
		// server SHOULD return a 415 Unsupported Media Type status."
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
			throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_content_type",
					"a PATCH body must be sent as " + OFFSET_OCTET_STREAM);
		}
		long offset = parseNonNegative(offsetHeader, "Upload-Offset");
		Video video = owned(id);
		long newOffset = append(video, offset, request.getInputStream(), checksum);
		return ResponseEntity.noContent().header("Upload-Offset", String.valueOf(newOffset)).build();
	}

	/** termination: "the Server SHOULD free associated resources ... and respond with 204 No Content". */
	@RequestMapping(path = "/{id}", method = RequestMethod.DELETE)
	ResponseEntity<Void> terminate(@PathVariable String id) {
		Video video = owned(id);
		ReentrantLock lock = uploads.lock(video.id());
		lock.lock();
		try {
			catalog.remove(video.id());
		}
		finally {
			lock.unlock();
		}
		return ResponseEntity.noContent().build();
	}

	private long append(Video video, long offset, InputStream body, String checksumHeader) throws IOException {
		Checksum checksum = Checksum.parse(checksumHeader);
		// Within this process, one request per upload at a time; across gateways the pieces' table
		// decides (a piece is recorded only where the upload stands).
		ReentrantLock lock = uploads.lock(video.id());
		lock.lock();
		try {
			Video current = catalog.find(video.id()).orElseThrow(() -> ApiException.notFound("upload"));
			long length = current.uploadLength();
			if (!uploads.isUploading(current)) {
				// A re-sent final PATCH after the upload completed: answer as before, queue nothing new.
				if (offset == length) {
					drain(body);
					return length;
				}
				throw ApiException.conflict("offset_mismatch", "the upload is complete; its offset is " + length);
			}
			if (uploads.isStored(current)) {
				// Every byte arrived before, but queueing failed: finish now.
				if (offset != length) {
					throw ApiException.conflict("offset_mismatch", "Upload-Offset is " + offset + " but the upload is at " + length);
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
				throw ApiException.conflict("offset_mismatch", "Upload-Offset is " + offset + " but the upload is at " + at);
			}
			uploads.checkFreeSpace(length - offset);
			if (pieces.count(current.id()) >= uploads.settings().maxChunks()) {
				throw ApiException.badRequest("too_many_chunks", "this upload has taken " + uploads.settings().maxChunks()
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
							throw ApiException.badRequest("exceeds_length",
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
				throw new ApiException(HttpStatusCode.valueOf(460), "checksum_mismatch", "the chunk does not match Upload-Checksum");
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
				throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable",
						"the upload's bytes could not be put together now; send the last chunk again shortly", 5L);
			}
			throw (RuntimeException) e;
		}
	}

	private static void drain(InputStream body) throws IOException {
		body.transferTo(java.io.OutputStream.nullOutputStream());
	}

	private Video owned(String id) {
		CurrentUser caller = CurrentUser.require();
		// An upload of someone else is as unknown as one that never existed; so is a direct upload
		// (/api/direct-uploads), whose bytes may not come by tus as well.
		return catalog.find(id).filter(v -> v.ownerId().equals(caller.id())).filter(v -> !direct.isDirect(v.id()))
				.orElseThrow(() -> ApiException.notFound("upload"));
	}

	private long offsetOf(Video video) {
		if (!uploads.isUploading(video) || uploads.isStored(video)) {
			return video.uploadLength();
		}
		// The pieces every gateway sees: each was stored and recorded before its PATCH was answered.
		return pieces.offset(video.id());
	}

	/** The metadata as this server keeps it (file name, title, description, visibility), Base64 as sent. */
	private static String metadataOf(Video video) {
		java.util.List<String> pairs = new java.util.ArrayList<>();
		java.util.function.BiConsumer<String, String> add = (key, value) -> {
			if (value != null) {
				pairs.add(key + " " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
			}
		};
		add.accept("filename", video.originalFilename());
		add.accept("title", video.title());
		add.accept("description", video.description());
		add.accept("visibility", video.visibility().name());
		return String.join(",", pairs);
	}

	private static long parseNonNegative(String value, String header) {
		if (value == null) {
			throw ApiException.badRequest("missing_header", header + " is required");
		}
		try {
			long parsed = Long.parseLong(value.trim());
			if (parsed < 0) {
				throw new NumberFormatException();
			}
			return parsed;
		}
		catch (NumberFormatException e) {
			throw ApiException.badRequest("invalid_header", header + " must be a non-negative integer");
		}
	}

	/**
	 * "The Upload-Metadata request and response header MUST consist of one or more comma-separated
	 * key-value pairs. The key and value MUST be separated by a space. ... The value MUST be
	 * Base64 encoded."
	 */
	static Map<String, String> parseMetadata(String header) {
		Map<String, String> metadata = new HashMap<>();
		if (header == null || header.isBlank()) {
			return metadata;
		}
		for (String pair : header.split(",")) {
			String trimmed = pair.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			String[] parts = trimmed.split(" ", 2);
			String value = "";
			if (parts.length == 2) {
				try {
					value = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
				}
				catch (IllegalArgumentException e) {
					throw ApiException.badRequest("invalid_metadata", "Upload-Metadata value of " + parts[0] + " is not Base64");
				}
			}
			metadata.put(parts[0], value);
		}
		return metadata;
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
				throw ApiException.badRequest("invalid_checksum", "Upload-Checksum is '<algorithm> <base64 digest>'");
			}
			String algorithm = switch (parts[0].toLowerCase(Locale.ROOT)) {
				case "sha1" -> "SHA-1";
				case "sha256" -> "SHA-256";
				case "md5" -> "MD5";
				// "The Server MUST respond with 400 Bad Request if the checksum algorithm is not supported".
				default -> throw ApiException.badRequest("checksum_algorithm_unsupported",
						"supported checksum algorithms: " + CHECKSUM_ALGORITHMS);
			};
			try {
				return new Checksum(MessageDigest.getInstance(algorithm), Base64.getDecoder().decode(parts[1].trim()));
			}
			catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
			catch (IllegalArgumentException e) {
				throw ApiException.badRequest("invalid_checksum", "the Upload-Checksum digest is not Base64");
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
