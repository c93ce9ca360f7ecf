package dev.videoforge.webhooks.internal;

import java.time.Instant;
import java.util.List;

/** An account's webhook endpoint: where to send which events, and the secret they are signed with. */
record Endpoint(String id, String ownerId, String url, List<String> events, String secret, Instant createdAt) {

	/** The event types an endpoint may ask for (API.md, Webhooks). */
	static final List<String> EVENTS = List.of("video.uploaded", "video.playable", "video.ready", "video.failed", "video.deleted");
}
