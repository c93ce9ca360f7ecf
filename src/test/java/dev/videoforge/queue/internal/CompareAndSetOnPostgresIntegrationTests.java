package dev.videoforge.queue.internal;

/** The portable compare-and-set lease (H2's) also holds on PostgreSQL's concurrency model. */
class CompareAndSetOnPostgresIntegrationTests extends PostgresJobQueueContract {

	@Override
	boolean skipLocked() {
		return false;
	}
}
