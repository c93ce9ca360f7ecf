package dev.videoforge.limits.internal;

import dev.videoforge.limits.RateLimitSettings;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.shared.Databases;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rate limiter every role uses: its buckets in memory or in the fleet's PostgreSQL. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitSettings.class)
class LimitsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(LimitsConfiguration.class);

	/**
	 * The token buckets: in the shared PostgreSQL when the fleet has one (Bucket4j's
	 * {@code SELECT … FOR UPDATE} backend, table {@code rate_limit_buckets}), else in memory.
	 */
	@Bean
	RateLimiter rateLimiter(RateLimitSettings settings, DataSource dataSource) throws SQLException {
		boolean database = switch (settings.store()) {
			case MEMORY -> false;
			case DATABASE -> true;
			case AUTO -> Databases.isPostgres(dataSource);
		};
		if (!database) {
			return new RateLimiter(settings);
		}
		if (!Databases.isPostgres(dataSource)) {
			throw new IllegalStateException("videoforge.rate-limit.store=database needs PostgreSQL; this database is "
					+ Databases.productName(dataSource) + " (use memory, or auto)");
		}
		PostgreSQLSelectForUpdateBasedProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
				.primaryKeyMapper(PrimaryKeyMapper.STRING).table("rate_limit_buckets").idColumn("id").stateColumn("state")
				.expiresAtColumn("expires_at")
				// A row is kept until its bucket is full again (plus a little): an unused bucket is
				// a full one, so forgetting it changes nothing.
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
				// A row locked by a stalled peer, or a database that does not answer, costs a request
				// at most this long; then the limiter goes on with this process's own buckets.
				.requestTimeout(Duration.ofSeconds(1))
				.build();
		log.info("rate limits: token buckets shared by the fleet in the database (table rate_limit_buckets)");
		return new RateLimiter(settings, buckets);
	}

	/** Removes the rows of shared buckets that are full again; any process may, each row once. */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService rateLimitSweeper(RateLimiter limiter, DataSource dataSource) {
		ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "rate-limit-sweeper");
			t.setDaemon(true);
			return t;
		});
		if (limiter.sharedByFleet()) {
			sweeper.scheduleWithFixedDelay(() -> {
				try {
					int removed;
					do {
						removed = limiter.removeExpired(1000);
					}
					while (removed == 1000);
				}
				catch (RuntimeException e) {
					log.debug("could not remove expired rate-limit buckets: {}", e.toString());
				}
			}, 1, 1, TimeUnit.MINUTES);
		}
		return sweeper;
	}
}
