package dev.videoforge.catalog.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoJson;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /api/gallery/videos/{id}/thumbnail} (API.md): the owner picks the poster, by a
 * time ({@code {"atSeconds": 12.5}}) or by uploading an image (multipart {@code file}). Answers
 * the Video, whose {@code thumbnailUrl} has changed, once the new poster is stored.
 */
@RestController
@RequestMapping("/api/gallery/videos/{id}/thumbnail")
@OnRole(Role.GALLERY)
class ThumbnailController {

	record PosterTime(Double atSeconds) {
	}

	private final Posters posters;
	private final PlaybackUrls urls;
	private final Captions captions;

	ThumbnailController(Posters posters, PlaybackUrls urls, Captions captions) {
		this.posters = posters;
		this.urls = urls;
		this.captions = captions;
	}

	private VideoJson json(Video video) {
		return VideoJson.of(video, urls, captions.list(video.id()));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	VideoJson atTime(@PathVariable String id, @RequestBody PosterTime body) throws IOException {
		return json(posters.fromTime(id, CurrentUser.require(), body == null ? null : body.atSeconds()));
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	VideoJson upload(@PathVariable String id, @RequestPart(name = "file", required = false) MultipartFile file)
			throws IOException {
		if (file == null || file.isEmpty()) {
			throw new Refusal.Invalid("missing_file", "send the image as the multipart part named 'file'");
		}
		return json(posters.fromImage(id, CurrentUser.require(), file.getSize(), file.getInputStream()));
	}
}
