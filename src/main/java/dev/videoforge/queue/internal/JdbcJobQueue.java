package dev.videoforge.queue.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.QueueStats;
import dev.videoforge.shared.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link JobQueue} on a relational database. On PostgreSQL a lease is claimed and fetched in one
 * statement with {@code FOR UPDATE SKIP LOCKED}, so competing workers never wait on each other's
 * rows. On H2 (no SKIP LOCKED) it is a compare-and-set on the row's {@code version}: of two
 * workers that read the same due job exactly one update matches. Either way a job is never
 * handed to two live workers, and a lease that runs out makes the job due again.
 *
 * <p>Fair share: a job may carry an account. A lease takes the oldest due job of the accounts
 * with the fewest jobs running (nothing running first, then one, ...), and never one of an account
 * at {@code max-in-flight-per-account}. The running counts come from one grouped read of the live
 * leases (as many rows as accounts running), each round is one indexed read of due jobs.
 */
public class JdbcJobQueue implements JobStore {

	private static final String COLUMNS = "id, queue, payload, state, attempts, max_attempts, last_error, created_at, run_at, started_at, finished_at, lease_owner";

	private final JdbcClient jdbc;
	private final QueueSettings settings;
	private final Clock clock;

	private final boolean skipLocked;
	/** Wakes this process's idle workers when a job is added here; other processes find it by polling. */
	private final Object wakeUp = new Object();

	/**
	 * @param skipLocked whether the database has {@code FOR UPDATE SKIP LOCKED} (PostgreSQL)
	 */
	public JdbcJobQueue(JdbcClient jdbc, QueueSettings settings, Clock clock, boolean skipLocked) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
		this.skipLocked = skipLocked;
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
	}

	@Override
	public Enqueued enqueue(String queue, String payload, String dedupeKey) {
		return enqueue(queue, payload, dedupeKey, null);
	}

	@Override
	public Enqueued enqueue(String queue, String payload, String dedupeKey, String account) {
		if (dedupeKey != null) {
			Optional<String> existing = jdbc.sql("SELECT id FROM jobs WHERE dedupe_key = ?").param(dedupeKey)
					.query(String.class).optional();
			if (existing.isPresent()) {
				return new Enqueued(existing.get(), false);
			}
		}
		String id = Ids.newId();
		OffsetDateTime now = now();
		try {
			jdbc.sql("""
					INSERT INTO jobs (id, queue, dedupe_key, payload, state, attempts, max_attempts, run_at, created_at, updated_at, version, account)
					VALUES (?, ?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?, 0, ?)""")
					.params(id, queue, dedupeKey, payload, settings.maxAttempts(), now, now, now, account).update();
			wake();
			return new Enqueued(id, true);
		}
		catch (DuplicateKeyException e) {
			String existing = jdbc.sql("SELECT id FROM jobs WHERE dedupe_key = ?").param(dedupeKey).query(String.class)
					.single();
			return new Enqueued(existing, false);
		}
	}

	@Override
	public void awaitWork(String queue, Duration max) throws InterruptedException {
		synchronized (wakeUp) {
			wakeUp.wait(Math.max(1, max.toMillis()));
		}
	}

	/** Wakes local workers once the new job is visible: after the surrounding transaction commits. */
	private void wake() {
		Runnable notify = () -> {
			synchronized (wakeUp) {
				wakeUp.notifyAll();
			}
		};
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					notify.run();
				}
			});
		}
		else {
			notify.run();
		}
	}

	@Override
	public Optional<LeasedJob> lease(String queue, String worker, Duration visibility) {
		// Waiting jobs, in fair order; then leases that ran out (their worker died; already started,
		// so taken whoever they belong to).
		for (List<String> excluded : fairRounds(queue)) {
			String condition = "state = 'QUEUED' AND run_at <= ?" + (excluded.isEmpty() ? ""
					: " AND (account IS NULL OR account NOT IN (" + String.join(", ", java.util.Collections.nCopies(excluded.size(), "?")) + "))");
			Optional<LeasedJob> due = skipLocked ? claimSkipLocked(queue, worker, visibility, condition, "run_at, created_at", 0, excluded)
					: claimCompareAndSet(queue, worker, visibility, condition, "run_at, created_at", 0, excluded);
			if (due.isPresent()) {
				return due;
			}
		}
		String expired = "state = 'LEASED' AND lease_until < ?";
		return skipLocked ? claimSkipLocked(queue, worker, visibility, expired, "lease_until", 1, List.of())
				: claimCompareAndSet(queue, worker, visibility, expired, "lease_until", 1, List.of());
	}

	/**
	 * The accounts to pass over, round by round: first every account with a job running, then
	 * those with at least the next running count, ..., last none (or those at the cap).
	 */
	private List<List<String>> fairRounds(String queue) {
		java.util.Map<String, Integer> running = new java.util.HashMap<>();
		jdbc.sql("""
				SELECT account, COUNT(*) FROM jobs WHERE queue = ? AND state = 'LEASED' AND lease_until >= ? AND account IS NOT NULL
				GROUP BY account""").params(queue, now())
				.query((rs, n) -> running.put(rs.getString(1), rs.getInt(2))).list();
		int cap = settings.maxInFlightPerAccount();
		List<List<String>> rounds = new java.util.ArrayList<>();
		for (int level : new java.util.TreeSet<>(running.values())) {
			if (cap > 0 && level >= cap) {
				break;
			}
			rounds.add(atLeast(running, level));
		}
		rounds.add(cap > 0 ? atLeast(running, cap) : List.of());
		return rounds;
	}

	private static List<String> atLeast(java.util.Map<String, Integer> running, int level) {
		return running.entrySet().stream().filter(e -> e.getValue() >= level).map(java.util.Map.Entry::getKey).sorted().toList();
	}

	/**
	 * Claimed and fetched in one statement.
	 *
	 * @param expired 1 when the claimed lease ran out (its worker died), which is counted apart
	 */
	private Optional<LeasedJob> claimSkipLocked(String queue, String worker, Duration visibility, String condition,
			String order, int expired, List<String> excluded) {
		OffsetDateTime now = now();
		List<Object> params = new java.util.ArrayList<>(List.of(worker, now.plus(visibility), expired, now, now, queue, now));
		params.addAll(excluded);
		return jdbc.sql("""
				UPDATE jobs SET state = 'LEASED', lease_owner = ?, lease_until = ?, attempts = attempts + 1,
				  lease_expiries = lease_expiries + ?, started_at = ?, updated_at = ?, version = version + 1
				WHERE id = (
				  SELECT id FROM jobs
				  WHERE queue = ? AND %s
				  ORDER BY %s
				  LIMIT 1
				  FOR UPDATE SKIP LOCKED)
				RETURNING id, queue, payload, attempts, max_attempts, version, lease_expiries""".formatted(condition, order))
				.params(params)
				.query((rs, n) -> new LeasedJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
						worker, String.valueOf(rs.getLong(6)), rs.getInt(7), settings.maxLeaseExpiries()))
				.optional();
	}

	private Optional<LeasedJob> claimCompareAndSet(String queue, String worker, Duration visibility, String condition,
			String order, int expired, List<String> excluded) {
		OffsetDateTime now = now();
		List<Object> params = new java.util.ArrayList<>(List.of(queue, now));
		params.addAll(excluded);
		List<Candidate> candidates = jdbc.sql("SELECT id, version FROM jobs WHERE queue = ? AND " + condition + " ORDER BY "
				+ order + " LIMIT 8").params(params).query((rs, n) -> new Candidate(rs.getString(1), rs.getLong(2))).list();
		for (Candidate candidate : candidates) {
			long token = candidate.version() + 1;
			int won = jdbc.sql("""
					UPDATE jobs SET state = 'LEASED', lease_owner = ?, lease_until = ?, attempts = attempts + 1,
					  lease_expiries = lease_expiries + ?, started_at = ?, updated_at = ?, version = ?
					WHERE id = ? AND version = ?""")
					.params(worker, now.plus(visibility), expired, now, now, token, candidate.id(), candidate.version())
					.update();
			if (won == 1) {
				return jdbc.sql("SELECT id, queue, payload, attempts, max_attempts, lease_expiries FROM jobs WHERE id = ?")
						.param(candidate.id())
						.query((rs, n) -> new LeasedJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
								rs.getInt(5), worker, String.valueOf(token), rs.getInt(6), settings.maxLeaseExpiries()))
						.optional();
			}
		}
		return Optional.empty();
	}

	private record Candidate(String id, long version) {
	}

	/** The row version this lease was taken at; a redelivery changes it. */
	private static long version(LeasedJob job) {
		return Long.parseLong(job.leaseToken());
	}

	@Override
	public boolean heartbeat(LeasedJob job, Duration visibility) {
		OffsetDateTime now = now();
		return jdbc.sql("UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND state = 'LEASED' AND version = ?")
				.params(now.plus(visibility), now, job.id(), version(job)).update() == 1;
	}

	@Override
	public boolean ack(LeasedJob job) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				UPDATE jobs SET state = 'DONE', finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL
				WHERE id = ? AND state = 'LEASED' AND version = ?""")
				.params(now, now, job.id(), version(job)).update() == 1;
	}

	@Override
	public FailOutcome fail(LeasedJob job, String error) {
		// Only the failures count here; redeliveries after a worker died have their own budget.
		if (job.lastChargedAttempt()) {
			return deadLetter(job, error) ? FailOutcome.DEAD : FailOutcome.LOST;
		}
		OffsetDateTime now = now();
		int updated = jdbc.sql("""
				UPDATE jobs SET state = 'QUEUED', run_at = ?, last_error = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL
				WHERE id = ? AND state = 'LEASED' AND version = ?""")
				.params(now.plus(backoff(job.chargedAttempt())), truncate(error), now, job.id(), version(job)).update();
		return updated == 1 ? FailOutcome.RETRY : FailOutcome.LOST;
	}

	Duration backoff(int attempt) {
		return RetryPolicy.backoff(settings, attempt);
	}

	@Override
	public boolean release(LeasedJob job) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, run_at = ?, updated_at = ?, lease_owner = NULL,
				  lease_until = NULL
				WHERE id = ? AND state = 'LEASED' AND version = ?""")
				.params(now, now, job.id(), version(job)).update() == 1;
	}

	@Override
	public boolean deadLetter(LeasedJob job, String error) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				UPDATE jobs SET state = 'DEAD', last_error = ?, finished_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL
				WHERE id = ? AND state = 'LEASED' AND version = ?""")
				.params(truncate(error), now, now, job.id(), version(job)).update() == 1;
	}

	@Override
	public boolean redrive(String jobId) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				UPDATE jobs SET state = 'QUEUED', attempts = 0, lease_expiries = 0, run_at = ?, finished_at = NULL, updated_at = ?, version = version + 1
				WHERE id = ? AND state = 'DEAD'""").params(now, now, jobId).update() == 1;
	}

	@Override
	public QueueStats stats(String queue) {
		OffsetDateTime now = now();
		// DONE rows are counted apart: the live figures only touch the rows that are not done.
		var live = jdbc.sql("""
				SELECT
				  SUM(CASE WHEN state = 'QUEUED' OR (state = 'LEASED' AND lease_until < ?) THEN 1 ELSE 0 END),
				  SUM(CASE WHEN state = 'LEASED' AND lease_until >= ? THEN 1 ELSE 0 END),
				  SUM(CASE WHEN state = 'DEAD' THEN 1 ELSE 0 END),
				  MIN(CASE WHEN state = 'QUEUED' THEN created_at END)
				FROM jobs WHERE queue = ? AND state IN ('QUEUED', 'LEASED', 'DEAD')""").params(now, now, queue)
				.query((rs, n) -> {
					OffsetDateTime oldest = rs.getObject(4, OffsetDateTime.class);
					double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
					return new QueueStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), 0, age);
				}).single();
		long done = jdbc.sql("SELECT COUNT(*) FROM jobs WHERE queue = ? AND state = 'DONE'").param(queue).query(Long.class).single();
		return new QueueStats(live.queued(), live.inFlight(), live.deadLettered(), done, live.oldestQueuedAgeSeconds());
	}

	@Override
	public int purgeDone(String queue, Duration olderThan) {
		return jdbc.sql("DELETE FROM jobs WHERE queue = ? AND state = 'DONE' AND finished_at < ?")
				.params(queue, now().minus(olderThan)).update();
	}

	@Override
	public int redriveAll(String queue) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				UPDATE jobs SET state = 'QUEUED', attempts = 0, lease_expiries = 0, run_at = ?, finished_at = NULL, updated_at = ?, version = version + 1
				WHERE queue = ? AND state = 'DEAD'""").params(now, now, queue).update();
	}

	@Override
	public boolean looksUpJobs() {
		return true;
	}

	@Override
	public Optional<JobView> findByDedupeKey(String dedupeKey) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE dedupe_key = ?").param(dedupeKey).query(this::view).optional();
	}

	@Override
	public boolean reopen(String jobId) {
		OffsetDateTime now = now();
		boolean reopened = jdbc.sql("""
				UPDATE jobs SET state = 'QUEUED', attempts = 0, lease_expiries = 0, run_at = ?, finished_at = NULL, updated_at = ?,
				  version = version + 1
				WHERE id = ? AND state = 'DONE'""").params(now, now, jobId).update() == 1;
		if (reopened) {
			wake();
		}
		return reopened;
	}

	@Override
	public Optional<JobView> find(String jobId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE id = ?").param(jobId).query(this::view).optional();
	}

	@Override
	public List<JobView> jobs(String queue, JobState state, int limit) {
		if (state == null) {
			return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE queue = ? ORDER BY created_at DESC LIMIT ?")
					.params(queue, limit).query(this::view).list();
		}
		return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE queue = ? AND state = ? ORDER BY created_at DESC LIMIT ?")
				.params(queue, state.name(), limit).query(this::view).list();
	}

	private JobView view(ResultSet rs, int row) throws SQLException {
		return new JobView(rs.getString("id"), rs.getString("queue"), rs.getString("payload"),
				JobState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getInt("max_attempts"),
				rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "run_at"), instant(rs, "started_at"),
				instant(rs, "finished_at"), rs.getString("lease_owner"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static String truncate(String error) {
		return RetryPolicy.truncate(error);
	}
}
