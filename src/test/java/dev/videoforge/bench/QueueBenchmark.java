package dev.videoforge.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.internal.JdbcJobQueue;
import dev.videoforge.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Claims and acks per second of the JDBC queue on PostgreSQL with 1, 4 and 16 competing
 * consumers, and a check that no job was delivered to two live workers. Run by {@code bench/queue}.
 */
public final class QueueBenchmark {

	private QueueBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int jobs = 20_000;
		List<Integer> consumerCounts = List.of(1, 4, 16);
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--jobs")) {
				jobs = Integer.parseInt(args[++i]);
			}
			else if (args[i].equals("--consumers")) {
				consumerCounts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
			}
		}
		HikariDataSource ds = TestDatabases.postgres();
		try {
			ds.setMaximumPoolSize(24);
			QueueSettings settings = new QueueSettings("jdbc", Duration.ofSeconds(60), 3, Duration.ofSeconds(1),
					Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofDays(1), 5, 0,
					Duration.ofSeconds(5), Duration.ofSeconds(20));
			JobQueue queue = new JdbcJobQueue(JdbcClient.create(ds), settings, Clock.systemUTC(), true);
			System.out.printf("JDBC queue on PostgreSQL (%s), %d jobs per run, lease + ack per job%n", version(ds), jobs);
			System.out.printf("%-10s %10s %10s %12s %12s%n", "consumers", "jobs", "seconds", "jobs/s", "duplicates");
			for (int consumers : consumerCounts) {
				String name = "bench-" + consumers + "-" + System.nanoTime();
				fill(ds, name, jobs);
				Result r = drain(queue, name, consumers, jobs);
				System.out.printf("%-10d %10d %10.2f %12.0f %12d%n", consumers, r.delivered, r.seconds, r.delivered / r.seconds,
						r.duplicates);
				if (r.duplicates > 0 || r.delivered != jobs) {
					System.out.println("FAILED: every job must be delivered exactly once");
					System.exit(1);
				}
			}
		}
		finally {
			TestDatabases.dropPostgres(ds);
		}
	}

	private static String version(HikariDataSource ds) throws Exception {
		try (Connection c = ds.getConnection()) {
			return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
		}
	}

	/** Pre-fills the queue in batches (enqueueing is not what is measured). */
	private static void fill(HikariDataSource ds, String queue, int jobs) throws Exception {
		try (Connection c = ds.getConnection();
				PreparedStatement insert = c.prepareStatement("""
						INSERT INTO jobs (id, queue, payload, state, attempts, max_attempts, run_at, created_at, updated_at, version)
						VALUES (?, ?, ?, 'QUEUED', 0, 3, ?, ?, ?, 0)""")) {
			c.setAutoCommit(false);
			Timestamp now = Timestamp.from(Instant.now().minusSeconds(1));
			for (int i = 0; i < jobs; i++) {
				insert.setString(1, String.format("%s%08d", queue.substring(queue.length() - 7), i));
				insert.setString(2, queue);
				insert.setString(3, "payload-" + i);
				insert.setTimestamp(4, now);
				insert.setTimestamp(5, now);
				insert.setTimestamp(6, now);
				insert.addBatch();
				if (i % 1000 == 999) {
					insert.executeBatch();
				}
			}
			insert.executeBatch();
			c.commit();
		}
	}

	private record Result(int delivered, int duplicates, double seconds) {
	}

	private static Result drain(JobQueue queue, String name, int consumers, int jobs) throws Exception {
		Map<String, Boolean> seen = new ConcurrentHashMap<>();
		Set<String> held = ConcurrentHashMap.newKeySet();
		AtomicInteger duplicates = new AtomicInteger();
		AtomicInteger delivered = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int w = 0; w < consumers; w++) {
			String worker = "bench-" + w;
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					start.await();
					while (delivered.get() < jobs) {
						Optional<LeasedJob> job = queue.lease(name, worker, Duration.ofSeconds(60));
						if (job.isEmpty()) {
							continue;
						}
						String id = job.get().id();
						if (!held.add(id) || seen.putIfAbsent(id, Boolean.TRUE) != null) {
							duplicates.incrementAndGet();
						}
						queue.ack(job.get());
						held.remove(id);
						delivered.incrementAndGet();
					}
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		long t0 = System.nanoTime();
		start.countDown();
		for (Thread t : threads) {
			t.join();
		}
		double seconds = (System.nanoTime() - t0) / 1e9;
		return new Result(seen.size(), duplicates.get(), seconds);
	}
}
