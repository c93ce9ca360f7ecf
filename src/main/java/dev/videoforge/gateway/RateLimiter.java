package dev.videoforge.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.shared.ApiException;
import io.github.bucket4j.Bucket;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Token buckets by name and key (an address, an account). Buckets nobody used for an hour are
 * forgotten, so memory stays bounded whatever the number of clients.
 */
@Component
public class RateLimiter {

	private final RateLimitSettings settings;
	private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
			.maximumSize(1_000_000).build();

	public RateLimiter(RateLimitSettings settings) {
		this.settings = settings;
	}

	public RateLimitSettings settings() {
		return settings;
	}

	/**
	 * Takes one token from the bucket {@code name:key} of {@code capacity} tokens per {@code period}.
	 *
	 * @throws ApiException 429 with {@code Retry-After} when the bucket is empty
	 */
	public void consume(String name, String key, long capacity, Duration period) {
		if (!settings.enabled()) {
			return;
		}
		if (key.length() > settings.maxKeyLength()) {
			// Checked before the key exists: a megabyte "username" would otherwise be kept for an hour.
			throw ApiException.badRequest("invalid_request", "that name is too long (at most " + settings.maxKeyLength()
					+ " characters)");
		}
		long wait = tryConsume(name, key, capacity, period);
		if (wait > 0) {
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
					"too many requests; try again in " + wait + " s", wait);
		}
	}

	/** Takes one token; 0 when it was there, else the whole seconds until one is. */
	public long tryConsume(String name, String key, long capacity, Duration period) {
		if (!settings.enabled()) {
			return 0;
		}
		if (key.length() > settings.maxKeyLength()) {
			// consume() refuses such keys; an address never is one. Bounded whatever comes.
			key = "long:" + key.length() + ":" + key.hashCode();
		}
		Bucket bucket = buckets.get(name + ":" + capacity + ":" + period.toSeconds() + ":" + key, k -> Bucket.builder()
				.addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period)).build());
		var probe = bucket.tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
	}

	/**
	 * The client's address, as {@code ClientAddressFilter} resolved it for this request: the
	 * socket's peer, or behind a trusted proxy the address that proxy forwarded (never an entry the
	 * client could choose).
	 */
	public String clientAddress(HttpServletRequest request) {
		return request.getRemoteAddr();
	}
}
