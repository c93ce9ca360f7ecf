package dev.videoforge.queue;

import java.time.Instant;

/** One job as an operator sees it. */
public record JobView(String id, String queue, String payload, JobState state, int attempts, int maxAttempts,
		String lastError, Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt, String worker) {
}
