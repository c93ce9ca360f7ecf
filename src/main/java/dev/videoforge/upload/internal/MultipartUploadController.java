package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoJson;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Simple upload for scripts: one multipart request with the whole file (API.md, Upload). */
@RestController
@OnRole(Role.GATEWAY)
class MultipartUploadController {

	private final UploadService uploads;
	private final VideoCatalog catalog;
	private final PlaybackUrls urls;

	MultipartUploadController(UploadService uploads, VideoCatalog catalog, PlaybackUrls urls) {
		this.uploads = uploads;
		this.catalog = catalog;
		this.urls = urls;
	}

	@PostMapping(path = "/api/videos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<VideoJson> upload(@RequestPart(name = "file", required = false) MultipartFile file,
			@RequestParam(required = false) String title, @RequestParam(required = false) String description,
			@RequestParam(required = false) String visibility) throws IOException {
		if (file == null) {
			throw new Refusal.Invalid("missing_file", "send the media as the multipart part named 'file'");
		}
		Video video = uploads.create(CurrentUser.require(), title, description, visibility, file.getOriginalFilename(),
				file.getSize());
		Path staged = uploads.newStagingFile(video.id());
		try {
			// The container already spooled the part to disk; this moves it rather than copying when it can.
			file.transferTo(staged);
			uploads.complete(video, staged);
		}
		catch (IOException | RuntimeException e) {
			// A multipart upload cannot be resumed: whatever did not complete it (an I/O error, a busy
			// probe's 503) leaves nothing behind, or a restart's recovery would finish it as a second
			// video beside the client's retry. Refusals (415, 422) have discarded it already.
			if (uploads.isStillUploading(video.id())) {
				uploads.discard(video);
			}
			throw e;
		}
		finally {
			Files.deleteIfExists(staged);
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(VideoJson.of(catalog.find(video.id()).orElseThrow(), urls, List.of()));
	}
}
