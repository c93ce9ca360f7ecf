package dev.videoforge.queue.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueSettings.class)
class QueueConfiguration {

	@Bean
	JobQueue jobQueue(JdbcClient jdbc, QueueSettings settings) {
		return new JdbcJobQueue(jdbc, settings, Clock.systemUTC());
	}
}
