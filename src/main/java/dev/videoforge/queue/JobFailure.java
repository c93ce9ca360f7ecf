package dev.videoforge.queue;

/**
 * An attempt that failed for a known reason. {@code permanent}: another attempt would fail the
 * same way (the input's own fault), so the job is dead-lettered at once; otherwise it is retried
 * with the queue's backoff until its attempts are used. Any other exception from a handler counts
 * as a retryable failure too.
 */
public class JobFailure extends Exception {

	private final boolean permanent;

	public JobFailure(boolean permanent, String message) {
		super(message);
		this.permanent = permanent;
	}

	public JobFailure(boolean permanent, String message, Throwable cause) {
		super(message, cause);
		this.permanent = permanent;
	}

	public boolean permanent() {
		return permanent;
	}

	/** The job's workers kept stopping (killed, out of memory, lost) while they ran it. */
	public static final class Abandoned extends JobFailure {

		public Abandoned(String message) {
			super(true, message);
		}
	}
}
