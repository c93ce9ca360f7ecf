package dev.videoforge.catalog.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.CaptionTrack;
import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The owner's caption tracks of API.md: upload (WebVTT or SubRip) and delete, per language. */
@RestController
@RequestMapping("/api/gallery/videos/{id}/captions")
@OnRole(Role.GALLERY)
class CaptionController {

	record CaptionJson(String language, String label, String url) {
	}

	private final Captions captions;
	private final VideoCatalog catalog;
	private final PlaybackUrls urls;

	CaptionController(Captions captions, VideoCatalog catalog, PlaybackUrls urls) {
		this.captions = captions;
		this.catalog = catalog;
		this.urls = urls;
	}

	/** 201 with the stored track; uploading a language the video has already replaces that track. */
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<CaptionJson> upload(@PathVariable String id, @RequestPart(name = "file", required = false) MultipartFile file,
			@RequestParam(required = false) String language, @RequestParam(required = false) String label) throws IOException {
		if (file == null) {
			throw new Refusal.Invalid("missing_file", "send the WebVTT or SubRip file as the multipart part named 'file'");
		}
		CaptionTrack track;
		try (InputStream in = file.getInputStream()) {
			track = captions.upload(id, CurrentUser.require(), in, language, label);
		}
		var video = catalog.find(id).orElseThrow(() -> Refusal.notFound("video"));
		return ResponseEntity.status(HttpStatus.CREATED)
				.body(new CaptionJson(track.language(), track.label(), urls.url(video, track.vttPath())));
	}

	@DeleteMapping("/{language}")
	ResponseEntity<Void> delete(@PathVariable String id, @PathVariable String language) throws IOException {
		captions.delete(id, CurrentUser.require(), language);
		return ResponseEntity.noContent().build();
	}
}
