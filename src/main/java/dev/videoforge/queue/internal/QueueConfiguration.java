package dev.videoforge.queue.internal;

import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.SqsSettings;
import dev.videoforge.shared.Databases;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import java.sql.SQLException;
import java.time.Clock;
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
	JobStore jobQueue(JdbcClient jdbc, DataSource dataSource, QueueSettings settings, SqsSettings sqs) throws SQLException {
		return switch (settings.type()) {
			case "jdbc" -> new JdbcJobQueue(jdbc, settings, Clock.systemUTC(), Databases.isPostgres(dataSource));
			case "sqs" -> new SqsJobQueue(sqsClient(sqs), settings, sqs.prefix());
			default -> throw new IllegalStateException(
					"videoforge.queue.type: unknown queue type '" + settings.type() + "'; use jdbc or sqs");
		};
	}

	/** The fleet registry, in the database every process shares whatever the queue adapter. */
	@Bean
	Fleet fleet(JdbcClient jdbc, QueueSettings settings) {
		return new JdbcFleet(jdbc, Clock.systemUTC(), settings.fleetTimeout());
	}

	private static SqsClient sqsClient(SqsSettings settings) {
		var builder = SqsClient.builder().region(Region.of(settings.region())).httpClient(UrlConnectionHttpClient.create());
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		return builder.build();
	}

}
