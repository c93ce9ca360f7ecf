package dev.videoforge.queue.internal;

/** The queue contract on PostgreSQL with FOR UPDATE SKIP LOCKED, as production runs it. */
class PostgresJobQueueIntegrationTests extends PostgresJobQueueContract {

	@Override
	boolean skipLocked() {
		return true;
	}
}
