package dev.videoforge.queue;

import java.time.Instant;

/**
 * One worker pool of the fleet as it last reported itself: a {@link JobRuntime} of one queue in one
 * process.
 *
 * @param worker the pool's id ({@code pid@host/queue-xxxxxxxx}, as on the jobs it leases)
 * @param queue the queue it works on
 * @param host the machine (or container) it runs on
 * @param startedAt when the pool started
 * @param seenAt when it last reported
 * @param busy jobs it was running then
 * @param desired jobs it wanted to run at once for the backlog then
 * @param max most jobs it runs at once
 */
public record FleetMember(String worker, String queue, String host, Instant startedAt, Instant seenAt, int busy,
		int desired, int max) {
}
