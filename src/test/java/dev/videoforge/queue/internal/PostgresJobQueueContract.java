package dev.videoforge.queue.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.support.TestDatabases;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database queue's contract on a schema of its own on the local PostgreSQL; skipped, and says
 * so, when no PostgreSQL answers.
 */
abstract class PostgresJobQueueContract extends JdbcJobQueueContract {

	static HikariDataSource dataSource;

	/** Whether the queue claims with FOR UPDATE SKIP LOCKED (else the portable compare-and-set). */
	abstract boolean skipLocked();

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.postgres().orElse(null);
	}

	@BeforeEach
	void requirePostgres() {
		assumeTrue(dataSource != null, TestDatabases.POSTGRES_SKIPPED);
	}

	@AfterAll
	static void drop() {
		if (dataSource != null) {
			TestDatabases.dropPostgres(dataSource);
		}
	}

	@Override
	JobQueue queue() {
		return queue(SETTINGS);
	}

	@Override
	JobQueue queue(QueueSettings settings) {
		return new JdbcJobQueue(JdbcClient.create(dataSource), settings, Clock.systemUTC(), skipLocked());
	}
}
