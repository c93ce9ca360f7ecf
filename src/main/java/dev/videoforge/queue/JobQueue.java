package dev.videoforge.queue;

import java.time.Duration;
import java.util.Optional;

/**
 * A durable work queue with leases, as a worker and a producer see it (an operator's view is
 * {@link JobAdmin}). A leased job is invisible to other workers until its lease runs out; the
 * worker extends it with {@link #heartbeat} while it works and ends it with {@link #ack} or
 * {@link #fail}. A job whose worker stops heartbeating is leased again. Workers rarely call these
 * themselves: {@link JobRuntime} runs the lease loop and hands typed jobs to {@link JobHandler}s.
 */
public interface JobQueue {

	/**
	 * Adds a job unless one with the same {@code dedupeKey} was ever added, so a repeated request
	 * (a re-sent final upload chunk) never creates a second job.
	 */
	Enqueued enqueue(String queue, String payload, String dedupeKey);

	/**
	 * As {@link #enqueue(String, String, String)}, for one account: adapters that share workers
	 * fairly between accounts (the database) use it; others ignore it.
	 */
	default Enqueued enqueue(String queue, String payload, String dedupeKey, String account) {
		return enqueue(queue, payload, dedupeKey);
	}

	/** Leases the next due job of the queue for {@code visibility}, or empty when none is due. */
	Optional<LeasedJob> lease(String queue, String worker, Duration visibility);

	/** Extends the lease; false when the lease was lost (the job went to another worker). */
	boolean heartbeat(LeasedJob job, Duration visibility);

	/** Marks the job done. Idempotent: acking twice, or after the lease was lost, changes nothing. */
	boolean ack(LeasedJob job);

	/**
	 * Records a failed attempt: the job becomes due again after a backoff, or is dead-lettered
	 * when it has used its attempts. {@link FailOutcome#LOST} when this worker's lease was
	 * handed on meanwhile: then nothing changed, and the caller must not act on the job.
	 */
	FailOutcome fail(LeasedJob job, String error);

	/**
	 * Gives the job back at once, as if this attempt had not happened (the worker is shutting
	 * down, not failing); false when the lease was lost meanwhile.
	 */
	boolean release(LeasedJob job);

	/** Dead-letters the job now, whatever attempts it has left; false when the lease was lost. */
	boolean deadLetter(LeasedJob job, String error);

	/**
	 * Waits until work may be due on the queue or {@code max} passes, whichever is first. An
	 * adapter that hears of new jobs in this process wakes the caller at once; others just wait.
	 */
	default void awaitWork(String queue, Duration max) throws InterruptedException {
		Thread.sleep(max.toMillis());
	}

	/** Adds a typed job: its payload is written as {@link JobPayloads} says, on the type's queue. */
	default <P extends Record> Enqueued enqueue(JobType<P> type, P payload, String dedupeKey, String account) {
		return enqueue(type.queue(), JobPayloads.encode(type, payload), dedupeKey, account);
	}

	record Enqueued(String jobId, boolean created) {
	}

	enum FailOutcome {
		RETRY, DEAD, LOST
	}
}
