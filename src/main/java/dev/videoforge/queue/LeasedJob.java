package dev.videoforge.queue;

/**
 * A job held by one worker. {@code attempt} counts every lease from 1, this one included.
 * {@code leaseExpiries} says how many earlier leases ran out with their worker gone (killed, out
 * of memory, a lost machine): those are not the file's fault and count against their own budget,
 * {@code maxLeaseExpiries}; failures a worker reported count against {@code maxAttempts}.
 * {@code leaseToken} identifies this lease to the adapter (a row version, an SQS receipt handle):
 * a worker whose lease was handed on can no longer act on the job.
 */
public record LeasedJob(String id, String queue, String payload, int attempt, int maxAttempts, String worker,
		String leaseToken, int leaseExpiries, int maxLeaseExpiries) {

	/** This attempt's number among the attempts the file is charged for: earlier failures + 1. */
	public int chargedAttempt() {
		return attempt - leaseExpiries;
	}

	/** Whether failing this attempt uses the last one the file is allowed. */
	public boolean lastChargedAttempt() {
		return chargedAttempt() >= maxAttempts;
	}

	/** Whether the workers of this job died more often than allowed: it should be dead-lettered. */
	public boolean leaseExpiriesExhausted() {
		return leaseExpiries > maxLeaseExpiries;
	}
}
