package dev.videoforge.auth.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.auth.AuthSettings;
import dev.videoforge.shared.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Slows guessing without letting anyone lock anyone out (ASVS 2.2.1): wrong passwords or codes are
 * counted per (account, client address). After {@code throttle-free-attempts} failures in a row that
 * address must wait {@code throttle-delay} before its next attempt is even checked, then twice as
 * long after each further failure, up to {@code throttle-max-delay}; a success clears the count.
 * Another address (the owner's) is not affected. An attempt made while waiting is refused with the
 * answer a wrong password gets, after as much work, and without {@code Retry-After}: the answer
 * must not tell a throttled attempt from a wrong one, nor an existing account from an unknown one
 * (unknown names are counted the same way).
 * <p>
 * The counts live in this process (Caffeine, bounded; idle entries are forgotten after a day): with
 * several gateways, each slows an address on its own.
 */
@Component
class LoginGuard {

	/** A bcrypt hash of nothing anyone knows, checked for unknown usernames so they take as long. */
	static final String DUMMY_HASH = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z8Qb7nqJ3Jm1u5p3QO4m1b9K";

	private record Failures(int count, Instant waitUntil) {
	}

	private final AuthSettings settings;
	private final PasswordEncoder passwords;
	private final Cache<String, Failures> failures = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1))
			.maximumSize(1_000_000).build();
	/** (account, address) pairs that logged in: the per-account limit does not hold them back. */
	private final Cache<String, Boolean> known = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(30))
			.maximumSize(200_000).build();

	LoginGuard(AuthSettings settings, PasswordEncoder passwords) {
		this.settings = settings;
		this.passwords = passwords;
	}

	/**
	 * Checks a password ({@code hash} null: an unknown account), throttled: an unknown account, a
	 * wrong password and a throttled attempt all cost one bcrypt check and end in the same 401, so
	 * neither the answer nor its timing tells them apart.
	 */
	void checkPassword(String username, String hash, String password, String address) {
		String subject = password(username);
		String candidate = password == null ? "" : password;
		if (!mayTry(subject, address)) {
			passwords.matches(candidate, DUMMY_HASH);
			throw wrongCredentials();
		}
		boolean right = passwords.matches(candidate, hash == null ? DUMMY_HASH : hash) && hash != null;
		if (!right) {
			failed(subject, address);
			throw wrongCredentials();
		}
		succeeded(subject, address);
	}

	/**
	 * Checks a second-factor code with the same throttle: a throttled attempt is refused with
	 * {@code wrong} without running {@code check} (which would use up a code).
	 */
	void checkCode(String userId, String address, BooleanSupplier check, Supplier<Refusal> wrong) {
		String subject = code(userId);
		if (!mayTry(subject, address)) {
			throw wrong.get();
		}
		if (!check.getAsBoolean()) {
			failed(subject, address);
			throw wrong.get();
		}
		succeeded(subject, address);
	}

	/** The key of passwords tried for a username (any case), so unknown names are throttled alike. */
	static String password(String username) {
		return "password:" + username.toLowerCase(java.util.Locale.ROOT);
	}

	/** The key of second-factor codes tried for an account. */
	static String code(String userId) {
		return "code:" + userId;
	}

	/** Whether an attempt on {@code subject} from {@code address} may be checked now. */
	boolean mayTry(String subject, String address) {
		Failures current = failures.getIfPresent(subject + "|" + address);
		return current == null || current.waitUntil() == null || !Instant.now().isBefore(current.waitUntil());
	}

	/** A wrong password or code: counts, and from the free attempts on, makes the address wait. */
	void failed(String subject, String address) {
		failures.asMap().compute(subject + "|" + address, (key, old) -> {
			int count = old == null ? 1 : old.count() + 1;
			int over = count - settings.throttleFreeAttempts();
			if (over < 0) {
				return new Failures(count, null);
			}
			Duration wait = settings.throttleDelay().multipliedBy(1L << Math.min(over, 30));
			if (wait.compareTo(settings.throttleMaxDelay()) > 0 || wait.isNegative()) {
				wait = settings.throttleMaxDelay();
			}
			return new Failures(count, Instant.now().plus(wait));
		});
	}

	void succeeded(String subject, String address) {
		failures.invalidate(subject + "|" + address);
	}

	/** A full login from this address: remembered, so a flood of guesses from elsewhere does not stop it. */
	void loggedIn(String username, String address) {
		known.put(password(username) + "|" + address, Boolean.TRUE);
	}

	boolean knownAddress(String username, String address) {
		return known.getIfPresent(password(username) + "|" + address) != null;
	}

	static Refusal wrongCredentials() {
		return new Refusal.Unauthenticated("invalid_credentials", "wrong username or password");
	}
}
