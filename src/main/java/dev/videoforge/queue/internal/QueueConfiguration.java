package dev.videoforge.queue.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.SqsSettings;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
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
@EnableConfigurationProperties({ QueueSettings.class, SqsSettings.class })
class QueueConfiguration {

	/** The adapter named by {@code videoforge.queue.type}. */
	@Bean
	JobQueue jobQueue(JdbcClient jdbc, DataSource dataSource, QueueSettings settings, SqsSettings sqs) throws SQLException {
		return switch (settings.type()) {
			case "jdbc" -> new JdbcJobQueue(jdbc, settings, Clock.systemUTC(), isPostgres(dataSource));
			case "sqs" -> new SqsJobQueue(sqsClient(sqs), settings, sqs.prefix());
			default -> throw new IllegalStateException(
					"videoforge.queue.type: unknown queue type '" + settings.type() + "'; use jdbc or sqs");
		};
	}

	private static SqsClient sqsClient(SqsSettings settings) {
		var builder = SqsClient.builder().region(Region.of(settings.region())).httpClient(UrlConnectionHttpClient.create());
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder.build();
	}

	static boolean isPostgres(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
		}
	}
}
