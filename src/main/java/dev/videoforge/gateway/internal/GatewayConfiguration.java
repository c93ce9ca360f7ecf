package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import dev.videoforge.gateway.RateLimitSettings;
import dev.videoforge.gateway.RateLimiter;
import dev.videoforge.shared.Databases;
import dev.videoforge.shared.Roles;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ RateLimitSettings.class, GatewaySettings.class })
class GatewayConfiguration {

	private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

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


	/** First of all: every log line of a request, refusals included, carries its id. */
	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Right after it: from here on the request's remote address is the client's, as the trusted
	 * proxies in front report it (in every role: behind the gateway, services see the client too).
	 */
	@Bean
	FilterRegistrationBean<ClientAddressFilter> clientAddressFilter(GatewaySettings settings, RateLimitSettings limits) {
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(settings.trustedProxies(), limits.trustForwardedFor()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/**
	 * Before everything else, Spring Security included: a refused request costs nothing more. At
	 * the edge only: behind the gateway every client would share the gateway's buckets.
	 */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter, Environment environment) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(limiter));
		registration.setEnabled(Roles.of(environment).has("gateway"));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

	/**
	 * CORS at the edge only (Spring Security picks this bean up by name): the gateway answers
	 * preflights and adds the headers; services behind it add none, so no header is doubled.
	 */
	@Bean
	CorsConfigurationSource corsConfigurationSource(GatewaySettings settings, Environment environment) {
		boolean edge = Roles.of(environment).has("gateway");
		List<String> origins = settings.cors().allowedOrigins();
		if (!edge || origins.isEmpty()) {
			return request -> null;
		}
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(origins);
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Tus-Resumable", "Upload-Length", "Upload-Offset",
				"Upload-Metadata", "Upload-Defer-Length", "Upload-Concat", "X-Request-Id", "X-HTTP-Method-Override", "Range"));
		cors.setExposedHeaders(List.of("Location", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size",
				"Upload-Offset", "Upload-Length", "Upload-Expires", "X-Request-Id", "Retry-After", "Content-Range", "Accept-Ranges"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(settings.cors().maxAge());
		return request -> request.getRequestURI().startsWith("/api/") ? cors : null;
	}
}
