package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.Video;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.storage.BlobInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/stream/{id}/download?quality=720p} (API.md): the MP4 of one quality, as an
 * attachment, when the owner allows downloads. Authorized like every other stream file (a PUBLIC
 * video freely, others by the signature of their URLs or the owner's token) and served by the
 * same {@link FileSender} (Range, ETag, HEAD, sendfile). The {@code downloadable} switch is read
 * on every request, and the answer may not sit in a shared cache ({@code private, no-cache}), so
 * turning downloads off stops them at once; a client resuming with Range revalidates by ETag.
 */
@RestController
@OnRole(Role.STREAMING)
class DownloadController {

	private final StreamAccess access;
	private final Mp4Downloads downloads;
	private final FileSender sender;

	DownloadController(StreamAccess access, Mp4Downloads downloads, FileSender sender) {
		this.access = access;
		this.downloads = downloads;
		this.sender = sender;
	}

	/** The URL of a quality's download for {@code /qualities}, signed like the others; null when downloads are off. */
	static String downloadUrl(UrlSigner signer, Video video, Rendition rendition) {
		if (!video.downloadable()) {
			return null;
		}
		String url = signer.url(video, "download");
		return url + (url.contains("?") ? "&" : "?") + "quality=" + rendition.name();
	}

	@GetMapping("/api/stream/{id}/download")
	void download(@PathVariable String id, @RequestParam(required = false) String quality,
			@RequestParam(required = false) String exp, @RequestParam(required = false) String kid,
			@RequestParam(required = false) String sig, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		Video video = StreamAccess.readyVideo(access.authorize(id, exp, kid, sig));
		if (!video.downloadable()) {
			throw new Refusal.NotFound("not_downloadable", "the owner does not offer this video for download");
		}
		Rendition rendition = quality == null || quality.isBlank()
				? video.qualities().stream().max(Comparator.comparingLong(r -> (long) r.width() * r.height())).orElseThrow(
						() -> Refusal.notFound("quality"))
				: video.qualities().stream().filter(r -> r.name().equals(quality)).findFirst().orElseThrow(
						() -> new Refusal.NotFound("unknown_quality", "this video has no quality named that"));
		BlobInfo info = downloads.ensure(video, rendition);
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION, DownloadNames.contentDisposition(video.title(), rendition.name()));
		sender.send(info.key(), info, "private, no-cache", "video/mp4", request, response);
	}
}
