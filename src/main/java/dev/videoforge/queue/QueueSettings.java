package dev.videoforge.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Job queue settings ({@code videoforge.queue.*}).
 *
 * @param type which adapter: {@code jdbc} (the database, default) or {@code sqs}
 * @param visibilityTimeout how long a lease lasts without a heartbeat before the job is redelivered
 * @param maxAttempts attempts before a job is dead-lettered
 * @param backoffBase wait before the first retry; doubles with each further attempt (plus jitter)
 * @param backoffMax longest wait between attempts
 * @param pollInterval how often an idle worker looks for work
 * @param retention how long finished jobs are kept for the admin's history
 */
@ConfigurationProperties("videoforge.queue")
public record QueueSettings(@DefaultValue("jdbc") String type, @DefaultValue("30s") Duration visibilityTimeout, @DefaultValue("3") int maxAttempts,
		@DefaultValue("2s") Duration backoffBase, @DefaultValue("5m") Duration backoffMax,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("7d") Duration retention) {
}
