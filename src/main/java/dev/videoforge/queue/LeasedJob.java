package dev.videoforge.queue;

/**
 * A job held by one worker. {@code attempt} counts from 1 and includes this one; an attempt
 * beyond {@code maxAttempts} means earlier workers died holding it and it should be dead-lettered.
 */
public record LeasedJob(String id, String queue, String payload, int attempt, int maxAttempts, String worker,
		long leaseToken) {

	public boolean attemptsExhausted() {
		return attempt > maxAttempts;
	}
}
