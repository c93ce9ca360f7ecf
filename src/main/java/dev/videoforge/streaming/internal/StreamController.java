package dev.videoforge.streaming.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.CaptionTrack;
import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.streaming.StreamingSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The streaming API of API.md. Files on local disk go to the socket by sendfile; others are
 * copied from storage in small buffers (never whole through the heap), with Range, ETag/If-None-Match and cache headers fit for a CDN.
 */
@RestController
@RequestMapping("/api/stream")
@OnRole(Role.STREAMING)
class StreamController {

	/** What a client may ask for inside a video's folder: a file, or a file in one rendition's folder. */
	private static final Pattern FILE = Pattern.compile("/(?:[a-z0-9]{1,16}/)?[A-Za-z0-9_-]{1,64}\\.(m3u8|m4s|mp4|jpg|vtt)");

	/**
	 * A caption track's files ({@code dev.videoforge.catalog.CaptionTrack}): its folder is its
	 * BCP 47 tag lowercased (letters, digits, single hyphens between subtags: no dots, no slashes),
	 * holding {@code full.vtt}, {@code index.m3u8} and the segments {@code s<n>.vtt}.
	 */
	static final Pattern CAPTION_FILE = Pattern
			.compile("/captions/[a-z0-9]{1,8}(?:-[a-z0-9]{1,8}){0,7}/(?:full\\.vtt|index\\.m3u8|s[0-9]{1,6}\\.vtt)");

	static boolean allowed(String path) {
		return FILE.matcher(path).matches() || CAPTION_FILE.matcher(path).matches();
	}

	/** {@code downloadUrl}: the MP4 of this quality when the owner allows downloads, else null. */
	record Quality(String name, int width, int height, long bandwidth, String url, String downloadUrl) {
	}

	record Qualities(String videoId, String masterUrl, List<Quality> qualities) {
	}

	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final StreamingSettings settings;
	private final UrlSigner signer;
	private final Captions captions;

	private final StreamAccess access;
	private final FileSender sender;

	private final TextFiles texts;

	StreamController(VideoCatalog catalog, BlobStore blobs, StreamingSettings settings, UrlSigner signer, Captions captions,
			StreamAccess access, FileSender sender, TextFiles texts) {
		this.texts = texts;
		this.catalog = catalog;
		this.blobs = blobs;
		this.settings = settings;
		this.signer = signer;
		this.captions = captions;
		this.access = access;
		this.sender = sender;
	}

	/**
	 * The qualities, with URLs a player can use as they are (signed when the video is not PUBLIC).
	 * The audio tracks of a video with pictures are not qualities: the master names them.
	 */
	@GetMapping("/{id}/qualities")
	Qualities qualities(@PathVariable String id) {
		Video video = StreamAccess.playableVideo(catalog.findVisible(id, CurrentUser.current().orElse(null)));
		return new Qualities(video.id(), signer.url(video, VideoFiles.MASTER), video.qualities().stream()
				.map((Rendition r) -> new Quality(r.name(), r.width(), r.height(), r.bandwidth(),
						signer.url(video, r.name() + "/" + VideoFiles.PLAYLIST),
						video.status() == VideoStatus.READY ? DownloadController.downloadUrl(signer, video, r) : null))
				.toList());
	}

	/**
	 * One file of the video. PUBLIC videos need nothing; the others need the signature their
	 * URLs carry ({@code exp}, {@code kid}, {@code sig}), or the owner's token. Playlists and cue
	 * files of signed videos are rewritten so every URL in them carries the signature on.
	 */
	@GetMapping("/{id}/{*path}")
	void file(@PathVariable String id, @PathVariable String path, @RequestParam(required = false) String exp,
			@RequestParam(required = false) String kid, @RequestParam(required = false) String sig,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!allowed(path)) {
			throw Refusal.notFound("file");
		}
		Video video = StreamAccess.playableVideo(access.authorize(id, exp, kid, sig));
		String key = VideoFiles.renditions(video.id()) + path.substring(1);
		// Served on the strength of a token rather than the URL: no shared cache may keep it.
		boolean byToken = video.visibility() != Visibility.PUBLIC && sig == null;
		if (!path.endsWith(".m3u8") && !path.endsWith(".vtt")
				&& sender.handOn(key, cacheControl(video, path, byToken ? Visibility.PRIVATE : video.visibility()),
						contentType(path), response)) {
			// Delivered by the store or nginx (videoforge.streaming.delivery), which answer a missing
			// file themselves: no round trip to the store first (a HEAD on S3 for every segment).
			return;
		}
		if (path.endsWith(".m3u8") || path.endsWith(".vtt")) {
			TextFiles.Text text = texts.get(video, key, path.startsWith("/captions/")).orElseThrow(() -> Refusal.notFound("file"));
			// The master lists the caption tracks as they are now (they change after READY).
			List<CaptionTrack> tracks = path.equals("/master.m3u8") ? captions.list(video.id()) : List.of();
			// Caption cues are text, not URLs: they are never rewritten (signCues would sign their words).
			boolean cues = path.endsWith(".vtt") && !path.startsWith("/captions/");
			boolean rewrite = video.visibility() != Visibility.PUBLIC && (path.endsWith(".m3u8") || cues);
			String query = !rewrite ? "" : sig != null ? signedQuery(request) : signer.query(video.id());
			if (!path.startsWith("/captions/")) {
				// AnswerCache may keep it if it turns out public (a caption track is replaced while READY).
				request.setAttribute(AnswerCache.KEEPABLE, Boolean.TRUE);
			}
			sendText(video, text, path, query, byToken, tracks, request, response);
			return;
		}
		BlobInfo info = blobs.stat(key).orElseThrow(() -> Refusal.notFound("file"));
		// AnswerCache may keep it if it turns out public and goes out by sendfile.
		request.setAttribute(AnswerCache.KEEPABLE, Boolean.TRUE);
		sender.send(key, info, cacheControl(video, path, byToken ? Visibility.PRIVATE : video.visibility()), contentType(path),
				request, response);
	}

	/** The signature parameters of the request, to hand on in rewritten playlists (CloudFront's too). */
	private static String signedQuery(HttpServletRequest request) {
		String query = request.getQueryString();
		return query == null ? "" : query;
	}

	/**
	 * A playlist or cue file: as stored, or with every URL signed ({@code query} not empty) and the
	 * caption tracks added (a master). Validators: the stored file's, and the signature and tracks.
	 */
	private void sendText(Video video, TextFiles.Text text, String path, String query, boolean byToken,
			List<CaptionTrack> tracks, HttpServletRequest request, HttpServletResponse response) throws IOException {
		String body = SubtitleMedia.addTo(text.body(), tracks);
		if (!query.isEmpty()) {
			body = path.endsWith(".vtt") ? PlaylistSigner.signCues(body, query) : PlaylistSigner.signPlaylist(body, query);
		}
		String captionsVersion = tracks.isEmpty() ? "" : "-c" + SubtitleMedia.version(tracks);
		String signature = query.isEmpty() ? "" : "-" + Integer.toHexString(query.hashCode());
		String etag = "\"" + text.etag() + signature + captionsVersion + "\"";
		sender.sendBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), etag, text.lastModified(),
				cacheControl(video, path, byToken ? Visibility.PRIVATE : video.visibility()), contentType(path), request, response);
	}

	private String cacheControl(Video video, String path, Visibility visibility) {
		// Only PUBLIC files may sit in a shared cache. A CDN copy of a signed file would go on
		// answering the old URL after the video is made PRIVATE and its signatures are voided.
		String scope = visibility == Visibility.PUBLIC ? "public" : "private";
		if (path.endsWith(".m3u8") && video.status() != VideoStatus.READY) {
			// Still growing: a player reloads it every few seconds and must see each new segment.
			return scope + ", no-cache";
		}
		if (path.equals("/master.m3u8")) {
			// It lists the caption tracks as they are now: a player that reloads it after the owner
			// added one must see it, not a copy kept for the playlist max-age. Its ETag carries the
			// tracks' version, so asking again costs a 304.
			return scope + ", no-cache";
		}
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
