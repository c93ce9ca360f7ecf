package dev.videoforge.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings ({@code videoforge.webhooks.*}).
 *
 * @param allowPrivateAddresses whether endpoints may resolve to loopback, private, link-local or
 *        other internal addresses (off: a user cannot make the server call into its own network)
 * @param connectTimeout longest wait for an endpoint to accept the connection
 * @param readTimeout longest wait for an endpoint's answer; a delivery unanswered by then is retried
 * @param retrySchedule the wait before each retry after a failed attempt; a delivery that failed
 *        one more time than the schedule has entries is FAILED (the default spans 32 h 35 min)
 * @param maxEndpointsPerAccount most endpoints one account may have
 * @param maxUrlLength longest endpoint URL accepted
 * @param maxResponseBytes most bytes of an endpoint's answer read (the rest is not read)
 * @param workers deliveries sent at once by one processor
 * @param sweepInterval how often a processor queues the deliveries that are due (and re-queues
 *        those whose job went missing)
 * @param requeueAfter a delivery whose job has not ended after this long gets a new job
 *        (the old one becomes stale and is skipped)
 * @param logRetention how long finished deliveries are kept in the log
 * @param maxDeliveriesListed most deliveries one log request returns (newest first)
 */
@ConfigurationProperties("videoforge.webhooks")
public record WebhookSettings(@DefaultValue("false") boolean allowPrivateAddresses,
		@DefaultValue("10s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
		@DefaultValue({ "5s", "5m", "30m", "2h", "5h", "10h", "10h", "5h" }) List<Duration> retrySchedule,
		@DefaultValue("10") int maxEndpointsPerAccount, @DefaultValue("2000") int maxUrlLength,
		@DefaultValue("4096") int maxResponseBytes, @DefaultValue("4") int workers,
		@DefaultValue("2s") Duration sweepInterval, @DefaultValue("5m") Duration requeueAfter,
		@DefaultValue("30d") Duration logRetention, @DefaultValue("100") int maxDeliveriesListed) {

	/** The most attempts a delivery gets: the first and one per entry of the schedule. */
	public int maxAttempts() {
		return retrySchedule.size() + 1;
	}

	/** The wait after failed attempt number {@code attempts} (from 1), or null when it was the last. */
	public Duration delayAfter(int attempts) {
		return attempts >= 1 && attempts <= retrySchedule.size() ? retrySchedule.get(attempts - 1) : null;
	}
}
