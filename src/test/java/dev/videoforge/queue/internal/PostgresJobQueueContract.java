package dev.videoforge.queue.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.TestDatabases;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database queue's contract on a schema of its own on the local PostgreSQL, which
 * {@link RequiresPostgres} requires.
 */
@RequiresPostgres
abstract class PostgresJobQueueContract extends JdbcJobQueueContract {

	static HikariDataSource dataSource;

	/** Whether the queue claims with FOR UPDATE SKIP LOCKED (else the portable compare-and-set). */
	abstract boolean skipLocked();

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.postgres();
	}

	@AfterAll
	static void drop() {
		if (dataSource != null) {
			TestDatabases.dropPostgres(dataSource);
		}
	}

	@Override
	JobStore queue() {
		return queue(SETTINGS);
	}

	@Override
	JobStore queue(QueueSettings settings) {
		return new JdbcJobQueue(JdbcClient.create(dataSource), settings, Clock.systemUTC(), skipLocked());
	}
}
