package dev.videoforge.upload.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.VideoJson;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.storage.DirectUploads;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Direct-to-storage uploads (docs/API.md, Upload): the client sends the bytes to the store itself
 * with presigned part URLs, then completes here.
 */
@RestController
@RequestMapping("/api/direct-uploads")
@OnRole(Role.GATEWAY)
class DirectUploadController {

	/** Whether direct uploads are offered, and how parts are cut. */
	record Offer(boolean enabled, Long partSize, Integer maxParts) {
	}

	record CreateRequest(String filename, Long size, String title, String description, String visibility) {
	}

	record Created(String id, String uploadId, long size, long partSize, int partCount) {
	}

	record PartsRequest(List<Integer> numbers) {
	}

	record Signed(List<DirectUploadService.SignedPart> parts, Instant expiresAt) {
	}

	record Received(String id, long size, long partSize, int partCount, List<DirectUploads.Part> parts) {
	}

	private final DirectUploadService direct;
	private final PlaybackUrls urls;

	DirectUploadController(DirectUploadService direct, PlaybackUrls urls) {
		this.direct = direct;
		this.urls = urls;
	}

	@GetMapping
	Offer offer() {
		return direct.offered().isPresent() ? new Offer(true, direct.partSizeFor(0), DirectUploads.MAX_PARTS)
				: new Offer(false, null, null);
	}

	@PostMapping
	ResponseEntity<Created> create(@RequestBody CreateRequest request) {
		if (request.size() == null) {
			throw new Refusal.Invalid("invalid_size", "size (the file's length in bytes) is required");
		}
		var upload = direct.create(CurrentUser.require(), request.title(), request.description(), request.visibility(),
				request.filename(), request.size());
		String id = upload.video().id();
		return ResponseEntity.created(URI.create("/api/direct-uploads/" + id))
				.body(new Created(id, upload.uploadId(), request.size(), upload.partSize(), upload.partCount()));
	}

	@GetMapping("/{id}")
	Received received(@PathVariable String id) {
		var upload = direct.find(id);
		return new Received(id, upload.video().uploadLength(), upload.partSize(), upload.partCount(), direct.received(upload));
	}

	@PostMapping("/{id}/parts")
	Signed sign(@PathVariable String id, @RequestBody PartsRequest request) {
		return new Signed(direct.sign(direct.find(id), request.numbers()), direct.urlsExpireAt());
	}

	@PostMapping("/{id}/complete")
	VideoJson complete(@PathVariable String id) {
		return VideoJson.of(direct.complete(direct.find(id)), urls, List.of());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> cancel(@PathVariable String id) {
		direct.cancel(direct.find(id));
		return ResponseEntity.noContent().build();
	}
}
