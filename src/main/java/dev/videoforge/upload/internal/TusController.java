package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
@OnRole(Role.GATEWAY)
class TusController {

	static final String VERSION = "1.0.0";
	static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
	static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum";
	static final String CHECKSUM_ALGORITHMS = "sha1,sha256,md5";

	private final UploadService uploads;
	private final UploadPieces pieces;
	private final VideoCatalog catalog;
	private final TusChunks chunks;
	private final DirectUploadService direct;

	TusController(UploadService uploads, UploadPieces pieces, VideoCatalog catalog, TusChunks chunks,
			DirectUploadService direct) {
		this.uploads = uploads;
		this.pieces = pieces;
		this.catalog = catalog;
		this.chunks = chunks;
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
			throw new Refusal.Invalid("defer_length_unsupported", "Upload-Defer-Length is not supported; send Upload-Length");
		}
		long length = parseNonNegative(lengthHeader, "Upload-Length");
		Map<String, String> metadata = parseMetadata(metadataHeader);
		TusChunks.Checksum.parse(checksum);
		// "If the length of the upload exceeds the maximum, which MAY be specified using the
		// Tus-Max-Size header, the Server MUST respond with the 413 Request Entity Too Large status."
		Video video = uploads.create(CurrentUser.require(), metadata.get("title"), metadata.get("description"),
				metadata.get("visibility"), metadata.get("filename"), length);
		long offset = 0;
		if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(OFFSET_OCTET_STREAM)) {
			// creation-with-upload: the body of the POST is the first chunk. A refused chunk refuses
			// the whole creation, so no upload is left that the client has no Location for.
			try {
				offset = chunks.append(video, 0, request.getInputStream(), checksum);
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
			throw new Refusal.UnsupportedType("unsupported_content_type",
					"a PATCH body must be sent as " + OFFSET_OCTET_STREAM);
		}
		long offset = parseNonNegative(offsetHeader, "Upload-Offset");
		Video video = owned(id);
		long newOffset = chunks.append(video, offset, request.getInputStream(), checksum);
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

	private Video owned(String id) {
		CurrentUser caller = CurrentUser.require();
		// An upload of someone else is as unknown as one that never existed; so is a direct upload
		// (/api/direct-uploads), whose bytes may not come by tus as well.
		return catalog.find(id).filter(v -> v.ownerId().equals(caller.id())).filter(v -> !direct.isDirect(v.id()))
				.orElseThrow(() -> Refusal.notFound("upload"));
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
			throw new Refusal.Invalid("missing_header", header + " is required");
		}
		try {
			long parsed = Long.parseLong(value.trim());
			if (parsed < 0) {
				throw new NumberFormatException();
			}
			return parsed;
		}
		catch (NumberFormatException e) {
			throw new Refusal.Invalid("invalid_header", header + " must be a non-negative integer");
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
					throw new Refusal.Invalid("invalid_metadata", "Upload-Metadata value of " + parts[0] + " is not Base64");
				}
			}
			metadata.put(parts[0], value);
		}
		return metadata;
	}
}
