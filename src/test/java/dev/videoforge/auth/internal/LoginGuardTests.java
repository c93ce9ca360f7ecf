package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.shared.ApiExceptionHandler;
import dev.videoforge.shared.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Guessing is slowed per (account, address), never turned into a lockout: wrong passwords and codes
 * counted, a wait imposed after the free attempts and doubled after each further failure, a success
 * clearing the count, and a throttled attempt answered exactly like a wrong one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginGuardTests {

	private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder();
	private static final String PASSWORD = "correct horse battery";
	private static final String HASH = BCRYPT.encode(PASSWORD);
	private static final String ATTACKER = "203.0.113.9";
	private static final String OWNER = "198.51.100.7";

	static AuthSettings settings(Map<String, String> overrides) {
		return new Binder(new MapConfigurationPropertySource(new HashMap<>(overrides))).bindOrCreate("videoforge.auth",
				AuthSettings.class);
	}

	/** A wait long enough that no test outlives it: throttled stays throttled. */
	private final LoginGuard guard = new LoginGuard(settings(Map.of("videoforge.auth.throttle-delay", "1h",
			"videoforge.auth.throttle-max-delay", "1h")), BCRYPT);

	private static Refusal refusal(Runnable attempt) {
		return catchThrowableOfType(Refusal.class, attempt::run);
	}

	private void wrong(LoginGuard guard, String user, String address, int times) {
		for (int i = 0; i < times; i++) {
			String guess = "wrong " + i;
			assertThat(refusal(() -> guard.checkPassword(user, HASH, guess, address))).isNotNull();
		}
	}

	@Test
	void theRightPasswordPasses() {
		guard.checkPassword("alice", HASH, PASSWORD, OWNER);
	}

	@Test
	void afterTheFreeAttemptsEvenTheRightPasswordIsRefusedFromThatAddress() {
		wrong(guard, "alice", ATTACKER, 4);
		assertThat(guard.mayTry(LoginGuard.password("alice"), ATTACKER)).as("4 of 5 free attempts used").isTrue();
		wrong(guard, "alice", ATTACKER, 1);
		assertThat(guard.mayTry(LoginGuard.password("alice"), ATTACKER)).isFalse();
		Refusal throttled = refusal(() -> guard.checkPassword("alice", HASH, PASSWORD, ATTACKER));
		assertThat(throttled).as("the right password, while throttled").isNotNull();
	}

	@Test
	void aThrottledAttemptLooksExactlyLikeAWrongPasswordOrAnUnknownAccount() {
		Refusal wrongPassword = refusal(() -> guard.checkPassword("alice", HASH, "nope", OWNER));
		Refusal unknown = refusal(() -> guard.checkPassword("nobody", null, "nope", OWNER));
		wrong(guard, "alice", ATTACKER, 5);
		Refusal throttled = refusal(() -> guard.checkPassword("alice", HASH, PASSWORD, ATTACKER));
		for (Refusal refusal : new Refusal[] { wrongPassword, unknown, throttled }) {
			assertThat(ApiExceptionHandler.statusOf(refusal)).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(refusal.code()).isEqualTo("invalid_credentials");
			assertThat(refusal.getMessage()).isEqualTo("wrong username or password");
			assertThat(refusal.retryAfterSeconds()).as("no Retry-After that would tell them apart").isNull();
		}
	}

	@Test
	void theOwnerFromAnotherAddressIsNotLockedOut() {
		wrong(guard, "alice", ATTACKER, 20);
		guard.checkPassword("alice", HASH, PASSWORD, OWNER);
		// And the attacker's address is slowed on alice only, not on every account.
		guard.checkPassword("bob", HASH, PASSWORD, ATTACKER);
	}

	@Test
	void aSuccessClearsTheCount() {
		wrong(guard, "alice", OWNER, 4);
		guard.checkPassword("alice", HASH, PASSWORD, OWNER);
		wrong(guard, "alice", OWNER, 4);
		assertThat(guard.mayTry(LoginGuard.password("alice"), OWNER)).as("4 failures since the success, not 8").isTrue();
		guard.checkPassword("alice", HASH, PASSWORD, OWNER);
	}

	@Test
	void unknownNamesAndOtherSpellingsAreCountedAlike() {
		wrong(guard, "Nobody", ATTACKER, 3);
		wrong(guard, "NOBODY", ATTACKER, 2);
		assertThat(guard.mayTry(LoginGuard.password("nobody"), ATTACKER)).isFalse();
		wrong(guard, "alice", ATTACKER, 3);
		wrong(guard, "ALICE", ATTACKER, 2);
		assertThat(refusal(() -> guard.checkPassword("Alice", HASH, PASSWORD, ATTACKER))).isNotNull();
	}

	@Test
	void aThrottledCodeIsNotCheckedSoItIsNotUsedUp() {
		AtomicInteger checks = new AtomicInteger();
		Refusal wrongCode = new Refusal.Unauthenticated("invalid_code", "wrong code");
		for (int i = 0; i < 5; i++) {
			assertThatThrownBy(() -> guard.checkCode("user-1", ATTACKER, () -> {
				checks.incrementAndGet();
				return false;
			}, () -> wrongCode)).isSameAs(wrongCode);
		}
		assertThat(checks).hasValue(5);
		assertThatThrownBy(() -> guard.checkCode("user-1", ATTACKER, () -> {
			checks.incrementAndGet();
			return true;
		}, () -> wrongCode)).isSameAs(wrongCode);
		assertThat(checks).as("the sixth code was never looked at").hasValue(5);
		// Codes and passwords are counted apart; and from the owner's address the code is checked.
		guard.checkPassword("user-1", HASH, PASSWORD, ATTACKER);
		guard.checkCode("user-1", OWNER, () -> checks.incrementAndGet() > 0, () -> wrongCode);
		assertThat(checks).hasValue(6);
	}

	@Test
	void remembersTheAddressesAnAccountLoggedInFrom() {
		assertThat(guard.knownAddress("alice", OWNER)).isFalse();
		guard.loggedIn("Alice", OWNER);
		assertThat(guard.knownAddress("alice", OWNER)).isTrue();
		assertThat(guard.knownAddress("alice", ATTACKER)).isFalse();
		assertThat(guard.knownAddress("bob", OWNER)).isFalse();
	}

	/**
	 * Real time, short delays: the wait ends (never sooner than configured, whatever the machine's
	 * speed), and the next failure makes the next wait twice as long.
	 */
	@Test
	void theWaitEndsAndDoublesWithEachFurtherFailure() throws InterruptedException {
		Duration delay = Duration.ofMillis(300);
		LoginGuard quick = new LoginGuard(settings(Map.of("videoforge.auth.throttle-free-attempts", "2",
				"videoforge.auth.throttle-delay", "300ms", "videoforge.auth.throttle-max-delay", "1h")), BCRYPT);
		String subject = LoginGuard.password("alice");
		quick.failed(subject, ATTACKER);
		assertThat(quick.mayTry(subject, ATTACKER)).isTrue();
		Instant before = Instant.now();
		quick.failed(subject, ATTACKER);
		Instant open = waitUntilMayTry(quick, subject);
		assertThat(Duration.between(before, open)).isGreaterThanOrEqualTo(delay);

		before = Instant.now();
		quick.failed(subject, ATTACKER);
		open = waitUntilMayTry(quick, subject);
		assertThat(Duration.between(before, open)).isGreaterThanOrEqualTo(delay.multipliedBy(2));
	}

	@Test
	void theWaitNeverExceedsTheMaximum() throws InterruptedException {
		LoginGuard capped = new LoginGuard(settings(Map.of("videoforge.auth.throttle-free-attempts", "1",
				"videoforge.auth.throttle-delay", "100ms", "videoforge.auth.throttle-max-delay", "300ms")), BCRYPT);
		String subject = LoginGuard.password("alice");
		for (int i = 0; i < 40; i++) {
			capped.failed(subject, ATTACKER);
		}
		// Uncapped, the wait would be 100 ms * 2^30; the deadline of waitUntilMayTry is 20 s.
		Instant before = Instant.now();
		Instant open = waitUntilMayTry(capped, subject);
		assertThat(Duration.between(before, open)).isLessThan(Duration.ofSeconds(20));
	}

	/** When attempts are checked again; fails after 20 s. */
	private static Instant waitUntilMayTry(LoginGuard guard, String subject) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(20);
		while (!guard.mayTry(subject, ATTACKER)) {
			assertThat(Instant.now()).as("the throttle should have ended").isBefore(deadline);
			Thread.sleep(10);
		}
		return Instant.now();
	}
}
