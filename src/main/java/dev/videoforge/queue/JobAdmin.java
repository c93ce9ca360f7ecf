package dev.videoforge.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The job queue as an operator sees it: figures, the jobs themselves, redriving dead letters,
 * forgetting old ones. The admin API, the start-up reconciliation and the runtime's backlog
 * readings use it; workers use {@link JobQueue}.
 */
public interface JobAdmin {

	/** Moves a dead-lettered job back to the queue with fresh attempts; false when it is not dead. */
	boolean redrive(String jobId);

	/** Moves every dead-lettered job of the queue back with fresh attempts; returns how many. */
	int redriveAll(String queue);

	/** Counts by state for one queue, and the age of its oldest waiting job. */
	QueueStats stats(String queue);

	/** One job, whatever its state. */
	Optional<JobView> find(String jobId);

	/**
	 * Whether this adapter can look a job up by its dedupe key ({@link #findByDedupeKey}). The
	 * database can; SQS cannot search the messages it holds.
	 */
	default boolean looksUpJobs() {
		return false;
	}

	/** The job added with this dedupe key, whatever its state; empty when there is none (or {@link #looksUpJobs()} is false). */
	default Optional<JobView> findByDedupeKey(String dedupeKey) {
		return Optional.empty();
	}

	/**
	 * Moves a job that was marked done back to the queue with fresh attempts (the work it stood for
	 * was found undone); false when it is not done.
	 */
	default boolean reopen(String jobId) {
		return false;
	}

	/** Forgets finished jobs older than {@code olderThan}; returns how many. */
	int purgeDone(String queue, Duration olderThan);

	/** Jobs of a queue, newest first, optionally of one state. */
	List<JobView> jobs(String queue, JobState state, int limit);

}
