package dev.videoforge.queue.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueSettings.class)
class QueueConfiguration {

	@Bean
	JobQueue jobQueue(JdbcClient jdbc, DataSource dataSource, QueueSettings settings) throws SQLException {
		return new JdbcJobQueue(jdbc, settings, Clock.systemUTC(), isPostgres(dataSource));
	}

	static boolean isPostgres(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
		}
	}
}
