package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.shared.ApiException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** Counts wrong passwords and codes, and locks an account for a while after too many. */
@Component
class LoginGuard {

	/** A bcrypt hash of nothing anyone knows, checked for unknown usernames so they take as long. */
	static final String DUMMY_HASH = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z8Qb7nqJ3Jm1u5p3QO4m1b9K";

	private final UserRepository users;
	private final AuthSettings settings;

	LoginGuard(UserRepository users, AuthSettings settings) {
		this.users = users;
		this.settings = settings;
	}

	void checkNotLocked(UserRepository.User user) {
		Instant now = Instant.now();
		if (user.lockedAt(now)) {
			long seconds = Math.max(1, Duration.between(now, user.lockedUntil()).toSeconds());
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "account_locked", "too many wrong passwords or codes: the "
					+ "account is locked for " + Math.max(1, (seconds + 59) / 60) + " more minute(s)", seconds);
		}
	}

	void failed(UserRepository.User user) {
		users.recordFailure(user.id(), settings.maxFailedAttempts(), Instant.now().plus(settings.lockout()));
	}

	static ApiException wrongCredentials() {
		return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "wrong username or password");
	}
}
