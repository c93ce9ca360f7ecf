package dev.videoforge.queue.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.support.TestDatabases;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The queue contract on the embedded default: H2 with the compare-and-set lease. */
class H2JobQueueTests extends JdbcJobQueueContract {

	static HikariDataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = TestDatabases.h2();
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	JobStore queue() {
		return queue(SETTINGS);
	}

	@Override
	JobStore queue(QueueSettings settings) {
		return new JdbcJobQueue(JdbcClient.create(dataSource), settings, Clock.systemUTC(), false);
	}
}
