package dev.videoforge.queue;

/**
 * A job held by one worker. {@code attempt} counts from 1 and includes this one; an attempt
 * beyond {@code maxAttempts} means earlier workers died holding it and it should be dead-lettered.
 * {@code leaseToken} identifies this lease to the adapter (a row version, an SQS receipt handle):
 * a worker whose lease was handed on can no longer act on the job.
 */
public record LeasedJob(String id, String queue, String payload, int attempt, int maxAttempts, String worker,
		String leaseToken) {

	public boolean attemptsExhausted() {
		return attempt > maxAttempts;
	}
}
