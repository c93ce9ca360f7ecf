package dev.videoforge.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.shared.Refusal;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets by name and key (an address, an account). In memory for one process, or in the
 * database a fleet shares ({@link RateLimitSettings#store()}), so every gateway draws from the same
 * bucket. Buckets nobody used for an hour are forgotten, so memory stays bounded whatever the
 * number of clients; shared buckets are removed from the database once they are full again.
 */
public class RateLimiter {

	private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

	/** The generous limits, counted in the process between synchronisations with the shared bucket. */
	private static final Set<String> COUNTED_LOCALLY = Set.of("api", "stream");

	private final RateLimitSettings settings;
	/** The shared buckets, or null when buckets live in this process only. */
	private final ProxyManager<String> shared;
	/** How long the shared store is left alone after it failed. */
	private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(10);
	/** What a skipped shared bucket answers: the process's own bucket decided. */
	private static final ConsumptionProbe ALLOWED = ConsumptionProbe.consumed(0, 0);

	/** This process's buckets: the limit alone, or in front of the shared ones. */
	private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
			.maximumSize(1_000_000).build();
	/** Proxies of the shared buckets (those counted locally keep their unsynchronised tokens in them). */
	private final Cache<String, Bucket> sharedBuckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
			.maximumSize(1_000_000).build();
	private final AtomicLong lastFailureLogged = new AtomicLong();
	private volatile long sharedUnavailableUntil;

	/** Buckets in this process's memory. */
	public RateLimiter(RateLimitSettings settings) {
		this(settings, null);
	}

	/**
	 * @param shared Bucket4j's proxy manager of the shared buckets, or null for buckets in memory
	 */
	public RateLimiter(RateLimitSettings settings, ProxyManager<String> shared) {
		this.settings = settings;
		this.shared = shared;
	}

	public RateLimitSettings settings() {
		return settings;
	}

	/** Whether the buckets are the fleet's (in the shared database) rather than this process's. */
	public boolean sharedByFleet() {
		return shared != null;
	}

	/**
	 * Takes one token from the bucket {@code name:key} of {@code capacity} tokens per {@code period}.
	 *
	 * @throws Refusal 429 with {@code Retry-After} when the bucket is empty
	 */
	public void consume(String name, String key, long capacity, Duration period) {
		if (!settings.enabled()) {
			return;
		}
		if (key.length() > settings.maxKeyLength()) {
			// Checked before the key exists: a megabyte "username" would otherwise be kept for an hour.
			throw new Refusal.Invalid("invalid_request", "that name is too long (at most " + settings.maxKeyLength()
					+ " characters)");
		}
		long wait = tryConsume(name, key, capacity, period);
		if (wait > 0) {
			throw new Refusal.RateLimited("rate_limited",
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
		String id = name + ":" + capacity + ":" + period.toSeconds() + ":" + key;
		BucketConfiguration configuration = BucketConfiguration.builder()
				.addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period)).build();
		// This process's own bucket first. What it refuses, the shared one would refuse too (the
		// fleet's count includes this process's), so a burst of refused attempts costs no database
		// round trip and holds no row lock.
		ConsumptionProbe probe = local(buckets, id, configuration).tryConsumeAndReturnRemaining(1);
		if (shared != null && probe.isConsumed()) {
			probe = shared(name, id, capacity, configuration);
		}
		return waitOf(probe);
	}

	private static long waitOf(ConsumptionProbe probe) {
		return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
	}

	/**
	 * Takes the token from the fleet's bucket. While the shared store fails (down, or slower than
	 * its timeout) it is left alone for a while: this process's own bucket, already counted, is the
	 * limit meanwhile, and requests do not each wait for the database.
	 */
	private ConsumptionProbe shared(String name, String id, long capacity, BucketConfiguration configuration) {
		if (System.nanoTime() < sharedUnavailableUntil) {
			return ALLOWED;
		}
		try {
			return sharedBuckets.get(id, k -> sharedBucket(name, sharedId(k), capacity, configuration))
					.tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException e) {
			sharedUnavailableUntil = System.nanoTime() + PAUSE_AFTER_FAILURE.toNanos();
			long now = System.nanoTime();
			long last = lastFailureLogged.get();
			if (now - last > Duration.ofMinutes(1).toNanos() && lastFailureLogged.compareAndSet(last, now)) {
				log.warn("shared rate-limit buckets unavailable ({}); limiting in this process for the next {} s", e.toString(),
						PAUSE_AFTER_FAILURE.toSeconds());
			}
			return ALLOWED;
		}
	}

	/** A bucket's row id: the id itself, or for very long keys a digest of it (the column holds 400). */
	private static String sharedId(String id) {
		if (id.length() <= 300) {
			return id;
		}
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return id.substring(0, 100) + ":sha256:" + java.util.HexFormat.of().formatHex(digest);
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static Bucket local(Cache<String, Bucket> cache, String id, BucketConfiguration configuration) {
		// Caffeine computes the bucket once per id.
		return cache.get(id, k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
	}

	private Bucket sharedBucket(String name, String id, long capacity, BucketConfiguration configuration) {
		var builder = shared.builder();
		if (COUNTED_LOCALLY.contains(name)) {
			// Bucket4j's delaying optimisation: tokens are taken locally and written back after a tenth
			// of the capacity or syncEvery, whichever comes first. A fleet of N gateways can let
			// N × capacity/10 more through in the worst case; a 10-a-minute limit is never counted so.
			builder = builder.withOptimization(
					Optimizations.delaying(new DelayParameters(Math.max(1, capacity / 10), settings.syncEvery())));
		}
		return builder.build(id, () -> configuration);
	}

	/** Forgets up to {@code batch} shared buckets that are full again; how many it removed. */
	public int removeExpired(int batch) {
		return shared instanceof io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner cleaner ? cleaner.removeExpired(batch) : 0;
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
