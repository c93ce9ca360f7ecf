package dev.videoforge.limits.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.limits.RateLimitSettings;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.TestDatabases;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two gateways of one fleet, each with its own {@link RateLimiter} as {@link LimitsConfiguration}
 * makes it, on one PostgreSQL: a client that spreads its attempts over both gets the limit once,
 * not twice. The same attempts on two in-memory limiters get it twice, which shows the test can
 * tell the two apart.
 */
@RequiresPostgres
class SharedRateLimitsIntegrationTests {

	private static HikariDataSource postgres;

	@BeforeAll
	static void database() {
		postgres = TestDatabases.postgres();
	}

	@AfterAll
	static void drop() {
		TestDatabases.dropPostgres(postgres);
	}

	private static RateLimitSettings settings(String store) {
		Map<String, String> values = new HashMap<>();
		values.put("videoforge.rate-limit.store", store);
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("videoforge.rate-limit",
				RateLimitSettings.class);
	}

	private static RateLimiter gateway(String store, javax.sql.DataSource dataSource) throws Exception {
		return new LimitsConfiguration().rateLimiter(settings(store), dataSource);
	}

	/** Alternates {@code attempts} attempts between the two limiters; how many were refused. */
	private static int refusedAcross(RateLimiter one, RateLimiter two, String name, String key, long capacity,
			Duration period, int attempts) {
		int refused = 0;
		for (int i = 0; i < attempts; i++) {
			if ((i % 2 == 0 ? one : two).tryConsume(name, key, capacity, period) > 0) {
				refused++;
			}
		}
		return refused;
	}

	@Test
	void aStrictLimitHoldsOnceAcrossTwoGateways() throws Exception {
		RateLimiter one = gateway("auto", postgres);
		RateLimiter two = gateway("auto", postgres);
		assertThat(one.sharedByFleet()).as("auto on PostgreSQL shares the buckets").isTrue();

		// 5 an hour: one token every 12 minutes, so of 12 attempts spread over both, 7 are refused.
		assertThat(refusedAcross(one, two, "login", "203.0.113.20", 5, Duration.ofHours(1), 12)).isEqualTo(7);
		// The refusal says when to come back, on either gateway.
		assertThat(two.tryConsume("login", "203.0.113.20", 5, Duration.ofHours(1))).isBetween(1L, 12 * 60L);
		// Another address has its own bucket.
		assertThat(one.tryConsume("login", "198.51.100.20", 5, Duration.ofHours(1))).isZero();

		// The bucket is a row with an expiry, so an idle one is forgotten by the sweeper.
		Long expires = new JdbcTemplate(postgres).queryForObject(
				"SELECT expires_at FROM rate_limit_buckets WHERE id = ?", Long.class, "login:5:3600:203.0.113.20");
		assertThat(expires).isGreaterThan(System.currentTimeMillis());
	}

	@Test
	void inMemoryEachGatewayHasItsOwnBuckets() throws Exception {
		RateLimiter one = gateway("memory", postgres);
		RateLimiter two = gateway("memory", postgres);
		assertThat(one.sharedByFleet()).isFalse();
		// The same 12 attempts: each gateway lets its own 5 through.
		assertThat(refusedAcross(one, two, "login", "203.0.113.21", 5, Duration.ofHours(1), 12)).isEqualTo(2);
	}

	@Test
	void aGenerousLimitIsCountedLocallyBetweenSynchronisationsAndStillHoldsForTheFleet() throws Exception {
		RateLimiter one = gateway("database", postgres);
		RateLimiter two = gateway("database", postgres);
		// 100 a minute over two gateways: at most the capacity, plus what each may take before it
		// writes back (a tenth of the capacity), plus the refill while the loop runs.
		int attempts = 400;
		long started = System.nanoTime();
		int allowed = attempts - refusedAcross(one, two, "api", "203.0.113.22", 100, Duration.ofMinutes(1), attempts);
		double refilled = (System.nanoTime() - started) / 1e9 * 100 / 60;
		assertThat(allowed).isGreaterThanOrEqualTo(100).isLessThanOrEqualTo((int) Math.ceil(100 + 2 * 10 + refilled + 1));
	}

	@Test
	void whenTheDatabaseGoesAwayEachGatewayGoesOnLimitingOnItsOwn() throws Exception {
		HikariDataSource doomed = new HikariDataSource();
		doomed.setJdbcUrl(postgres.getJdbcUrl());
		doomed.setUsername(postgres.getUsername());
		doomed.setConnectionTimeout(1000);
		RateLimiter limiter = gateway("database", doomed);
		assertThat(limiter.tryConsume("login", "203.0.113.23", 3, Duration.ofHours(1))).isZero();
		doomed.close();
		// No error reaches the request; this process's own bucket goes on counting: 2 more, then refused.
		assertThat(limiter.tryConsume("login", "203.0.113.23", 3, Duration.ofHours(1))).isZero();
		assertThat(limiter.tryConsume("login", "203.0.113.23", 3, Duration.ofHours(1))).isZero();
		assertThat(limiter.tryConsume("login", "203.0.113.23", 3, Duration.ofHours(1))).isPositive();
	}

	@Test
	void theEmbeddedDatabaseKeepsBucketsInMemoryAndRefusesToShareThem() throws Exception {
		try (HikariDataSource h2 = TestDatabases.h2()) {
			assertThat(gateway("auto", h2).sharedByFleet()).isFalse();
			assertThatThrownBy(() -> gateway("database", h2)).hasMessageContaining("needs PostgreSQL");
		}
	}
}
