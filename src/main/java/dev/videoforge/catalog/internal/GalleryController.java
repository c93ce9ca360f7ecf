package dev.videoforge.catalog.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.CaptionTrack;
import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoJson;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The gallery API of API.md: listing, search, detail, edit, delete and live status. */
@RestController
@RequestMapping("/api/gallery/videos")
@OnRole(Role.GALLERY)
class GalleryController {

	record Page(List<VideoJson> items, int page, int size, long total) {
	}

	record VideoPatch(String title, String description, String visibility, Boolean downloadable) {
	}

	private final VideoCatalog catalog;
	private final VideoEventStreams streams;
	private final PlaybackUrls urls;
	private final Captions captions;

	GalleryController(VideoCatalog catalog, VideoEventStreams streams, PlaybackUrls urls, Captions captions) {
		this.catalog = catalog;
		this.streams = streams;
		this.urls = urls;
		this.captions = captions;
	}

	/**
	 * READY PUBLIC videos plus the caller's own of any status; with {@code owner=me}, only the
	 * caller's own (every status and visibility; 401 without a token). {@code page} counts from 0;
	 * {@code sort} is newest (default), oldest, title, -title, duration or -duration.
	 */
	@GetMapping
	Page list(@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size, @RequestParam(required = false) String sort,
			@RequestParam(required = false) String owner) {
		CurrentUser caller = CurrentUser.current().orElse(null);
		VideoCatalog.Listing listing;
		if (owner == null || owner.isBlank()) {
			listing = catalog.list(caller, q, sort, page, size);
		}
		else if (owner.equals("me")) {
			if (caller == null) {
				throw new Refusal.Unauthenticated("unauthenticated",
						"owner=me lists your own videos: a valid access token is needed (Authorization: Bearer ...)");
			}
			listing = catalog.listOwn(caller, q, sort, page, size);
		}
		else {
			throw new Refusal.Invalid("invalid_owner", "owner is \"me\" (your own videos) or left out");
		}
		Map<String, List<CaptionTrack>> tracks = captions.list(listing.items().stream().map(Video::id).toList());
		return new Page(listing.items().stream().map(v -> VideoJson.of(v, urls, tracks.getOrDefault(v.id(), List.of()))).toList(),
				listing.page(), listing.size(),
				listing.total());
	}

	@GetMapping("/{id}")
	VideoJson get(@PathVariable String id) {
		Video video = catalog.findVisible(id, CurrentUser.current().orElse(null));
		return VideoJson.of(video, urls, captions.list(video.id()));
	}

	@PatchMapping("/{id}")
	VideoJson update(@PathVariable String id, @RequestBody VideoPatch patch) {
		Video video = catalog.update(id, CurrentUser.require(), patch.title(), patch.description(), patch.visibility(),
				patch.downloadable());
		return VideoJson.of(video, urls, captions.list(video.id()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		catalog.delete(id, CurrentUser.require());
		return ResponseEntity.noContent().build();
	}

	/** Server-Sent Events {@code status} and {@code progress} until the video is READY or FAILED. */
	@GetMapping(path = "/{id}/events", produces = "text/event-stream")
	SseEmitter events(@PathVariable String id, HttpServletRequest request) {
		var video = catalog.findVisible(id, CurrentUser.current().orElse(null));
		// The client's address: behind the gateway, the one it forwarded (gateway's ClientAddressFilter).
		return streams.open(video.id(), request.getRemoteAddr());
	}
}
