package dev.videoforge.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.videoforge.shared.ApiExceptionHandler;
import dev.videoforge.shared.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;

/**
 * Token buckets, counted as a client sees them: how many requests of a burst are refused, how
 * many get through over a window. Never an exact split of a bucket that refills while it is read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimiterTests {

	private static RateLimiter limiter(Map<String, String> overrides) {
		return new RateLimiter(new Binder(new MapConfigurationPropertySource(new HashMap<>(overrides)))
				.bindOrCreate("videoforge.rate-limit", RateLimitSettings.class));
	}

	private final RateLimiter limiter = limiter(Map.of());

	/** How many of {@code attempts} immediate requests were refused. */
	private static int refusals(RateLimiter limiter, String name, String key, long capacity, Duration period, int attempts) {
		int refused = 0;
		for (int i = 0; i < attempts; i++) {
			if (limiter.tryConsume(name, key, capacity, period) > 0) {
				refused++;
			}
		}
		return refused;
	}

	@Test
	void aBurstPastTheCapacityIsRefused() {
		// 5 an hour refills one token every 12 minutes: a burst of 25 is refused at least 19 times
		// (20 over the capacity, one more token at most refilled while it runs).
		int refused = refusals(limiter, "login", "203.0.113.9", 5, Duration.ofHours(1), 25);
		assertThat(refused).isBetween(19, 20);
	}

	@Test
	void eachKeyAndEachLimitHasItsOwnBucket() {
		assertThat(refusals(limiter, "login", "203.0.113.9", 3, Duration.ofHours(1), 10)).isGreaterThanOrEqualTo(6);
		assertThat(limiter.tryConsume("login", "198.51.100.7", 3, Duration.ofHours(1))).as("another address").isZero();
		assertThat(limiter.tryConsume("register", "203.0.113.9", 3, Duration.ofHours(1))).as("another limit").isZero();
	}

	@Test
	void aRefusalIs429WithARetryAfterNoLongerThanTheRefill() {
		for (int i = 0; i < 2; i++) {
			limiter.consume("mfa", "user-1", 2, Duration.ofMinutes(1));
		}
		Refusal refused = catchThrowableOfType(Refusal.class,
				() -> limiter.consume("mfa", "user-1", 2, Duration.ofMinutes(1)));
		assertThat(refused).isNotNull();
		assertThat(ApiExceptionHandler.statusOf(refused)).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(refused.code()).isEqualTo("rate_limited");
		// 2 a minute: one token every 30 s.
		assertThat(refused.retryAfterSeconds()).isBetween(1L, 30L);
		assertThat(refused.getMessage()).contains("try again in " + refused.retryAfterSeconds() + " s");
	}

	@Test
	void overAWindowNoMoreGetThroughThanTheCapacityAndTheRefill() throws InterruptedException {
		long capacity = 10;
		Duration period = Duration.ofSeconds(1);
		int allowed = 0;
		int refused = 0;
		Instant start = Instant.now();
		Instant end = start.plusMillis(1500);
		while (Instant.now().isBefore(end)) {
			if (limiter.tryConsume("stream", "203.0.113.9", capacity, period) == 0) {
				allowed++;
			}
			else {
				refused++;
			}
			Thread.sleep(2);
		}
		double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
		assertThat(refused).as("some were refused").isPositive();
		assertThat(allowed).isGreaterThanOrEqualTo((int) capacity);
		assertThat((double) allowed).isLessThanOrEqualTo(capacity + capacity * seconds + 1);
	}

	@Test
	void anEmptiedBucketRefillsInTime() throws InterruptedException {
		Duration period = Duration.ofSeconds(1);
		Instant before = Instant.now();
		assertThat(refusals(limiter, "api", "203.0.113.9", 2, period, 3)).isGreaterThanOrEqualTo(1);
		Instant deadline = Instant.now().plusSeconds(10);
		while (limiter.tryConsume("api", "203.0.113.9", 2, period) > 0) {
			assertThat(Instant.now()).as("a token should have come back").isBefore(deadline);
			Thread.sleep(20);
		}
		// 2 a second: the first token is back no sooner than half a second after the burst began.
		assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(450));
	}

	@Test
	void disabledNeverRefuses() {
		RateLimiter off = limiter(Map.of("videoforge.rate-limit.enabled", "false"));
		assertThat(refusals(off, "login", "203.0.113.9", 1, Duration.ofHours(1), 50)).isZero();
		off.consume("login", "x".repeat(10_000), 1, Duration.ofHours(1));
	}

	@Test
	void anOverlongKeyIsRefusedBeforeItBecomesABucketButAddressesAreStillLimited() {
		String huge = "u".repeat(257);
		assertThatThrownBy(() -> limiter.consume("account", huge, 10, Duration.ofMinutes(1))).isInstanceOf(Refusal.class)
				.satisfies(e -> assertThat(ApiExceptionHandler.statusOf((Refusal) e)).isEqualTo(HttpStatus.BAD_REQUEST))
				.hasMessageContaining("at most 256 characters");
		assertThat(refusals(limiter, "api", huge, 2, Duration.ofHours(1), 6)).isGreaterThanOrEqualTo(3);
	}
}
