package dev.videoforge.streaming.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.shared.Refusal;
import org.springframework.stereotype.Component;

/** Who may read a video's streaming files (every file route, downloads included, asks here). */
@Component
class StreamAccess {

	private final VideoCatalog catalog;
	private final UrlSigner signer;

	StreamAccess(VideoCatalog catalog, UrlSigner signer) {
		this.catalog = catalog;
		this.signer = signer;
	}

	/**
	 * The video a file request may read: PUBLIC ones freely; others with a valid signature (a
	 * forged, expired or foreign one is 403), or the owner's own token. Without either, someone
	 * else's PRIVATE video is 404 (it does not exist for them) and an UNLISTED one 403.
	 */
	Video authorize(String id, String exp, String kid, String sig) {
		Video video = catalog.find(id).orElseThrow(() -> Refusal.notFound("video"));
		if (video.visibility() == Visibility.PUBLIC) {
			return video;
		}
		UrlSigner.Check check = signer.check(video.id(), exp, kid, sig);
		if (check == UrlSigner.Check.VALID) {
			return video;
		}
		CurrentUser caller = CurrentUser.current().orElse(null);
		if (check == UrlSigner.Check.MISSING && video.isOwnedBy(caller)) {
			return video;
		}
		if (video.visibility() == Visibility.PRIVATE && !video.isOwnedBy(caller)) {
			// Whatever was wrong, someone else's PRIVATE video does not exist for them (API.md).
			throw Refusal.notFound("video");
		}
		throw new Refusal.Forbidden("invalid_signature", switch (check) {
			case EXPIRED -> "this link has expired; ask for the video's URLs again";
			case MISSING -> "this video's files need a signed link (from /api/stream/{id}/qualities)";
			default -> "this link's signature is not valid for this video";
		});
	}

	static Video readyVideo(Video video) {
		if (video.status() != VideoStatus.READY) {
			throw new Refusal.NotFound("not_ready",
					"the video is " + video.status() + "; it can be streamed once it is READY");
		}
		return video;
	}

	/** The video, when it plays: READY, or PROCESSING with its first segments published. */
	static Video playableVideo(Video video) {
		if (!video.playable()) {
			throw new Refusal.NotFound("not_ready",
					"the video is " + video.status() + "; it can be streamed once it is playable");
		}
		return video;
	}
}
