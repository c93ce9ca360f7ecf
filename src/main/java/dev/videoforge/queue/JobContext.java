package dev.videoforge.queue;

/**
 * What a handler knows of the attempt it runs: the lease (attempt numbers, the worker) and
 * whether this worker still holds it. A handler checks {@link #leaseHeld()} before it publishes
 * anything: once the lease is lost, the job belongs to another worker.
 */
public interface JobContext {

	LeasedJob lease();

	boolean leaseHeld();

	/** This process's worker id, for logs. */
	default String workerId() {
		return lease().worker();
	}
}
