package dev.videoforge.streaming.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.shared.ApiException;
import dev.videoforge.shared.OnRole;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.streaming.StreamingSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The streaming API of API.md. Files are copied from storage to the socket in small buffers
 * (never whole through the heap), with Range, ETag/If-None-Match and cache headers fit for a CDN.
 */
@RestController
@RequestMapping("/api/stream")
@OnRole("streaming")
class StreamController {

	/** What a client may ask for inside a video's folder: a file, or a file in one rung's folder. */
	private static final Pattern FILE = Pattern.compile("/(?:[a-z0-9]{1,16}/)?[A-Za-z0-9_-]{1,64}\\.(m3u8|m4s|mp4|jpg|vtt)");

	record Quality(String name, int width, int height, long bandwidth, String url) {
	}

	record Qualities(String videoId, String masterUrl, List<Quality> qualities) {
	}

	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final StreamingSettings settings;

	StreamController(VideoCatalog catalog, BlobStore blobs, StreamingSettings settings) {
		this.catalog = catalog;
		this.blobs = blobs;
		this.settings = settings;
	}

	@GetMapping("/{id}/qualities")
	Qualities qualities(@PathVariable String id) {
		Video video = readyVideo(id);
		String base = "/api/stream/" + video.id() + "/";
		return new Qualities(video.id(), base + "master.m3u8", video.renditions().stream()
				.map((Rendition r) -> new Quality(r.name(), r.width(), r.height(), r.bandwidth(), base + r.name() + "/index.m3u8"))
				.toList());
	}

	@GetMapping("/{id}/{*path}")
	void file(@PathVariable String id, @PathVariable String path, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		if (!FILE.matcher(path).matches()) {
			throw ApiException.notFound("file");
		}
		Video video = readyVideo(id);
		String key = VideoCatalog.renditionsPrefix(video.id()) + path.substring(1);
		BlobInfo info = blobs.stat(key).orElseThrow(() -> ApiException.notFound("file"));
		String etag = "\"" + info.etag() + "\"";

		response.setHeader(HttpHeaders.ETAG, etag);
		response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl(path, video.visibility()));
		response.setHeader(HttpHeaders.LAST_MODIFIED,
				DateTimeFormatter.RFC_1123_DATE_TIME.format(info.lastModified().atZone(ZoneOffset.UTC)));
		response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
		response.setContentType(contentType(path));

		if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		ByteRange range;
		try {
			String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
			// "If-Range": a range is only valid for the representation the client already has.
			range = ifRange == null || ifRange.equals(etag) ? ByteRange.parse(request.getHeader(HttpHeaders.RANGE), info.size()) : null;
		}
		catch (ByteRange.Unsatisfiable e) {
			response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
			response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + info.size());
			response.setContentType("application/json");
			response.getWriter().write("{\"error\":\"range_not_satisfiable\",\"message\":\"the range lies past the end of the file\"}");
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
		if ("HEAD".equals(request.getMethod())) {
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
				throw ApiException.notFound("file");
			}
		}
	}

	private Video readyVideo(String id) {
		Video video = catalog.findVisible(id, CurrentUser.current().orElse(null));
		if (video.status() != VideoStatus.READY) {
			throw new ApiException(org.springframework.http.HttpStatus.NOT_FOUND, "not_ready",
					"the video is " + video.status() + "; it can be streamed once it is READY");
		}
		return video;
	}

	private static boolean matches(String ifNoneMatch, String etag) {
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

	private String cacheControl(String path, Visibility visibility) {
		String scope = visibility == Visibility.PUBLIC ? "public" : "private";
		if (path.endsWith(".m3u8") || path.endsWith(".vtt")) {
			return scope + ", max-age=" + settings.playlistMaxAge().toSeconds();
		}
		return scope + ", max-age=" + settings.mediaMaxAge().toSeconds() + ", immutable";
	}

	static String contentType(String path) {
		if (path.endsWith(".m3u8")) {
			return "application/vnd.apple.mpegurl";
		}
		if (path.endsWith(".m4s")) {
			return "video/iso.segment";
		}
		if (path.endsWith(".mp4")) {
			return "video/mp4";
		}
		if (path.endsWith(".jpg")) {
			return "image/jpeg";
		}
		return "text/vtt; charset=utf-8";
	}
}
