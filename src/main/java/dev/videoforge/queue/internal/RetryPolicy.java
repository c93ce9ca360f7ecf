package dev.videoforge.queue.internal;

import dev.videoforge.queue.QueueSettings;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What both adapters do alike when an attempt fails: how long the job waits before its next
 * attempt, and how much of the error is kept with it.
 */
final class RetryPolicy {

	/** Longest error kept with a job: room for ffmpeg's first lines, within an SQS attribute. */
	static final int MAX_ERROR_CHARS = 3900;

	private RetryPolicy() {
	}

	/** Exponential backoff with full jitter on the upper half: base·2^(attempt-1), capped. */
	static Duration backoff(QueueSettings settings, int attempt) {
		long base = settings.backoffBase().toMillis();
		long exp = Math.min(settings.backoffMax().toMillis(), base << Math.min(20, Math.max(0, attempt - 1)));
		return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
	}

	static String truncate(String error) {
		if (error == null) {
			return null;
		}
		return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "…";
	}
}
