package dev.videoforge.webhooks.internal;

import java.time.Instant;

/**
 * One event for one endpoint, and how its attempts went. Its id is the {@code webhook-id} of
 * every attempt. {@code jobSerial} names the one job that may make the next attempt (older jobs
 * are stale); {@code queuedAt} is when that job was queued, null when none is out.
 */
record Delivery(String id, String endpointId, String event, String videoId, String payload, Status status, int attempts,
		Integer lastStatusCode, String lastError, Instant nextAttemptAt, int jobSerial, Instant queuedAt, Instant createdAt,
		Instant deliveredAt) {

	enum Status {
		PENDING, DELIVERED, FAILED
	}
}
