package dev.videoforge.streaming.internal;

import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.streaming.StreamingSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Sends one stored file as it is, the one way every streaming file (segments, posters, MP4
 * downloads) goes out: ETag and If-None-Match, Range and If-Range (206, 416), HEAD, and the
 * body by sendfile when the file is on this machine's disk, else copied from storage in small
 * buffers (never whole through the heap).
 */
@Component
class FileSender {

	private static final long SENDFILE_MIN_BYTES = 48 * 1024;
	static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
	static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
	static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
	static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

	private final BlobStore blobs;
	private final StreamingSettings settings;

	FileSender(BlobStore blobs, StreamingSettings settings) {
		this.blobs = blobs;
		this.settings = settings;
	}

	/**
	 * Sends the object {@code key} (described by {@code info}) with the given cache and content type,
	 * or hands its delivery on as {@link StreamingSettings#delivery()} says. A Content-Disposition
	 * already on the response goes with it.
	 */
	void send(String key, BlobInfo info, String cacheControl, String contentType, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		if (handOn(key, cacheControl, contentType, response)) {
			return;
		}
		String etag = "\"" + info.etag() + "\"";
		response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
		if (notModified(etag, info.lastModified(), cacheControl, contentType, request, response)) {
			return;
		}
		ByteRange range;
		try {
			String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
			// "If-Range": a range is only valid for the representation the client already has.
			range = ifRange == null || ifRange.equals(etag) ? ByteRange.parse(request.getHeader(HttpHeaders.RANGE), info.size()) : null;
		}
		catch (ByteRange.Unsatisfiable e) {
			response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + info.size());
			ErrorBody.write(response, HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
					"the range lies past the end of the file");
			return;
		}
		long start = 0;
		long length = info.size();
		if (range != null) {
			start = range.start();
			length = range.length();
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + info.size());
		}
		response.setContentLengthLong(length);
		if ("HEAD".equals(request.getMethod()) || sendfile(request, key, start, length)) {
			return;
		}
		try (InputStream in = blobs.open(key, start, length)) {
			OutputStream out = response.getOutputStream();
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				out.write(buffer, 0, n);
			}
		}
		catch (BlobNotFoundException e) {
			// Deleted between stat and open.
			if (!response.isCommitted()) {
				response.reset();
				throw Refusal.notFound("file");
			}
		}
	}

	/**
	 * Sends a small body made here (a playlist, a cue file) with the same validators as a stored
	 * file: ETag and Last-Modified, 304 for If-None-Match, no body for HEAD. A range request is
	 * answered whole (RFC 9110 lets a server ignore Range; these files are small).
	 */
	void sendBody(byte[] body, String etag, Instant lastModified, String cacheControl, String contentType,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (notModified(etag, lastModified, cacheControl, contentType, request, response)) {
			return;
		}
		response.setContentLength(body.length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(body);
		}
	}

	/** Sets the validators and cache headers; answers 304 (and returns true) when the client has this version. */
	private static boolean notModified(String etag, Instant lastModified, String cacheControl, String contentType,
			HttpServletRequest request, HttpServletResponse response) {
		response.setHeader(HttpHeaders.ETAG, etag);
		response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
		response.setHeader(HttpHeaders.LAST_MODIFIED, DateTimeFormatter.RFC_1123_DATE_TIME.format(lastModified.atZone(ZoneOffset.UTC)));
		response.setContentType(contentType);
		if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return true;
		}
		return false;
	}

	/**
	 * Delivery by redirect (a presigned URL of the object, S3) or by X-Accel-Redirect (nginx sends
	 * the file): the request was authorized, its bytes need not pass through here. Range,
	 * conditional requests and HEAD are then answered by S3 or nginx, with their own validators.
	 * Returns whether it was handed on (false: send it here).
	 */
	boolean handOn(String key, String cacheControl, String contentType, HttpServletResponse response) {
		if (contentType.startsWith("application/vnd.apple.mpegurl") || contentType.startsWith("text/vtt")) {
			// Text a player resolves URLs against: from anywhere else its relative URLs would point
			// there, without the signature. Small, and answered here.
			return false;
		}
		switch (settings.delivery()) {
			case REDIRECT -> {
				Optional<java.net.URI> url = blobs.presignedGet(key, settings.redirectTtl(), contentType,
						response.getHeader(HttpHeaders.CONTENT_DISPOSITION));
				if (url.isEmpty()) {
					return false;
				}
				// A PUBLIC file's redirect may be kept (privately: the URL opens the object to whoever
				// holds it) for half the URL's life. Any other is asked for each time, so making the
				// video PRIVATE or turning downloads off stops new redirects at once; a URL already
				// handed out stays valid for at most redirect-ttl.
				boolean keep = cacheControl.startsWith("public") && !cacheControl.contains("no-cache");
				response.setStatus(HttpServletResponse.SC_FOUND);
				response.setHeader(HttpHeaders.LOCATION, url.get().toString());
				response.setHeader(HttpHeaders.CACHE_CONTROL,
						keep ? "private, max-age=" + settings.redirectTtl().toSeconds() / 2 : "no-store");
				response.setContentLength(0);
				return true;
			}
			case X_ACCEL -> {
				if (blobs.localPath(key).isEmpty()) {
					return false;
				}
				// nginx keeps Content-Type, Content-Disposition, Cache-Control and Accept-Ranges from
				// this answer and serves the body, ranges and conditionals from the file.
				String prefix = settings.xAccelPrefix().endsWith("/") ? settings.xAccelPrefix() : settings.xAccelPrefix() + "/";
				response.setHeader("X-Accel-Redirect", prefix + key);
				response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
				response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
				response.setContentType(contentType);
				response.setContentLength(0);
				return true;
			}
			default -> {
				return false;
			}
		}
	}

	/**
	 * Hands a file on this machine's disk to the container's sendfile (Tomcat NIO: the kernel
	 * copies file to socket, as nginx does), for bodies large enough to gain from it. Not
	 * possible with S3, in a serverless container or through response wrappers that need the bytes.
	 */
	private boolean sendfile(HttpServletRequest request, String key, long start, long length) {
		if (length < SENDFILE_MIN_BYTES || !Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
			return false;
		}
		Optional<Path> file = blobs.localPath(key);
		if (file.isEmpty()) {
			return false;
		}
		request.setAttribute(SENDFILE_FILENAME, file.get().toAbsolutePath().toString());
		request.setAttribute(SENDFILE_START, start);
		request.setAttribute(SENDFILE_END, start + length);
		return true;
	}

	static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String candidate : ifNoneMatch.split(",")) {
			String c = candidate.trim();
			if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
				return true;
			}
		}
		return false;
	}
}
