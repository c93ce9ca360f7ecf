package dev.videoforge.queue.internal;

import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.FleetMember;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link Fleet} in table {@code queue_workers} of the shared database (H2 or PostgreSQL, whatever
 * the queue adapter: with SQS the processes still share the database). Times are the reporting
 * processes' clocks, as the job queue's are; the timeout is several report intervals, far more
 * than the skew of synchronised clocks.
 */
public class JdbcFleet implements Fleet {

	private final JdbcClient jdbc;
	private final Clock clock;
	private final Duration timeout;

	public JdbcFleet(JdbcClient jdbc, Clock clock, Duration timeout) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.timeout = timeout;
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
	}

	@Override
	public void report(FleetMember m) {
		OffsetDateTime now = now();
		// One runtime reports from one thread: update, else insert, is enough (and portable).
		int updated = jdbc.sql("UPDATE queue_workers SET seen_at = ?, busy = ?, desired = ?, max_workers = ? WHERE worker = ?")
				.params(now, m.busy(), m.desired(), m.max(), m.worker()).update();
		if (updated == 0) {
			jdbc.sql("""
					INSERT INTO queue_workers (worker, queue, host, started_at, seen_at, busy, desired, max_workers)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
					.params(m.worker(), m.queue(), m.host(), OffsetDateTime.ofInstant(m.startedAt(), ZoneOffset.UTC), now,
							m.busy(), m.desired(), m.max())
					.update();
		}
	}

	@Override
	public void leave(String worker) {
		jdbc.sql("DELETE FROM queue_workers WHERE worker = ?").param(worker).update();
	}

	@Override
	public List<FleetMember> members(String queue) {
		OffsetDateTime since = now().minus(timeout);
		String sql = "SELECT worker, queue, host, started_at, seen_at, busy, desired, max_workers FROM queue_workers"
				+ " WHERE seen_at >= ?" + (queue == null ? "" : " AND queue = ?") + " ORDER BY started_at, worker";
		var statement = jdbc.sql(sql).param(since);
		if (queue != null) {
			statement = statement.param(queue);
		}
		return statement.query((rs, n) -> new FleetMember(rs.getString("worker"), rs.getString("queue"),
				rs.getString("host"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
				rs.getObject("seen_at", OffsetDateTime.class).toInstant(), rs.getInt("busy"), rs.getInt("desired"),
				rs.getInt("max_workers"))).list();
	}

	@Override
	public int forgetSilent(Duration silentFor) {
		return jdbc.sql("DELETE FROM queue_workers WHERE seen_at < ?").param(now().minus(silentFor)).update();
	}
}
