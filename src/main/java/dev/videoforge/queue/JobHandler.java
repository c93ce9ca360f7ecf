package dev.videoforge.queue;

/**
 * Runs one kind of job for {@link JobRuntime}, which owns everything around it: leasing,
 * heartbeats, ack, retries with backoff, dead letters and hand-back on shutdown. The model is
 * db-scheduler's split between its {@code Scheduler} and a task's {@code ExecutionHandler}.
 *
 * <p>{@link #handle} returning normally acks the job. A {@link JobFailure} (or any other
 * exception) is recorded as a failed attempt; the handler then hears what became of the job.
 * {@link InterruptedException} means the lease was lost or the process is stopping: the runtime
 * hands the job back (or leaves it to its new owner) and the handler hears of it through
 * {@link #handedBack}.
 *
 * @param <P> the payload record
 */
public interface JobHandler<P extends Record> {

	JobType<P> type();

	void handle(P job, JobContext context) throws Exception;

	/** The job will be tried again after a backoff; {@code reason} is what failed. */
	default void retrying(P job, JobFailure reason) {
	}

	/** The job is dead-lettered: it used its attempts, failed permanently, or its workers kept dying. */
	default void gaveUp(P job, JobFailure reason) {
	}

	/** This process is stopping and gave the job back to the queue, which hands it out again at once. */
	default void handedBack(P job) {
	}
}
