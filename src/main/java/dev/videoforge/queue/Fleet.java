package dev.videoforge.queue;

import java.util.List;

/**
 * The worker pools of every process, in the database they all share: each {@link JobRuntime}
 * reports itself every {@link QueueSettings#fleetReportInterval()} and leaves when it stops, so any
 * process (a gallery instance that runs no worker) can tell the fleet's figures. A pool that stopped
 * reporting (a process killed) drops out after {@link QueueSettings#fleetTimeout()}.
 */
public interface Fleet {

	/** Records or refreshes a pool's report. */
	void report(FleetMember member);

	/** The pool stopped. */
	void leave(String worker);

	/** Pools that reported within the timeout, of one queue or of every queue ({@code null}), oldest first. */
	List<FleetMember> members(String queue);

	/** Forgets pools that have not reported for a long time; how many. */
	int forgetSilent(java.time.Duration silentFor);
}
