package dev.videoforge.auth.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

	record User(String id, String username, String passwordHash, List<String> roles, String mfaSecret, boolean mfaEnabled,
			long mfaLastStep, int failedAttempts, Instant lockedUntil) {

		User(String id, String username, String passwordHash, List<String> roles) {
			this(id, username, passwordHash, roles, null, false, 0, 0, null);
		}

		boolean lockedAt(Instant now) {
			return lockedUntil != null && lockedUntil.isAfter(now);
		}
	}

	private static final String COLUMNS = "id, username, password_hash, roles, mfa_secret, mfa_enabled, mfa_last_step, failed_attempts, locked_until";

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	Optional<User> findByUsername(String username) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = ?").param(username).query(UserRepository::map)
				.optional();
	}

	Optional<User> findByUsernameIgnoreCase(String username) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE LOWER(username) = LOWER(?)").param(username)
				.query(UserRepository::map).optional();
	}

	Optional<User> findById(String id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(UserRepository::map).optional();
	}

	boolean any() {
		return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single() > 0;
	}

	void insert(User user) {
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, ?, ?, ?)")
				.params(user.id(), user.username(), user.passwordHash(), String.join(",", user.roles()),
						OffsetDateTime.now(ZoneOffset.UTC))
				.update();
	}

	void setPassword(String userId, String hash) {
		jdbc.sql("UPDATE users SET password_hash = ? WHERE id = ?").params(hash, userId).update();
	}

	/** A failed password or code: counts, and locks the account at {@code max} failures until {@code lockUntil}. */
	void recordFailure(String userId, int max, Instant lockUntil) {
		jdbc.sql("""
				UPDATE users SET failed_attempts = failed_attempts + 1,
				  locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END
				WHERE id = ?""").params(max, utc(lockUntil), userId).update();
		jdbc.sql("UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts >= ?").params(userId, max).update();
	}

	void resetFailures(String userId) {
		jdbc.sql("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?").param(userId).update();
	}

	void setPendingMfaSecret(String userId, String secret) {
		jdbc.sql("UPDATE users SET mfa_secret = ? WHERE id = ? AND mfa_enabled = FALSE").params(secret, userId).update();
	}

	void enableMfa(String userId, long step) {
		jdbc.sql("UPDATE users SET mfa_enabled = TRUE, mfa_last_step = ? WHERE id = ?").params(step, userId).update();
	}

	/** Records the step of a used code; false when that step (or a later one) was used already: a replay. */
	boolean useStep(String userId, long step) {
		return jdbc.sql("UPDATE users SET mfa_last_step = ? WHERE id = ? AND mfa_last_step < ?").params(step, userId, step)
				.update() == 1;
	}

	private static User map(ResultSet rs, int row) throws SQLException {
		OffsetDateTime locked = rs.getObject("locked_until", OffsetDateTime.class);
		return new User(rs.getString("id"), rs.getString("username"), rs.getString("password_hash"),
				roles(rs.getString("roles")), rs.getString("mfa_secret"), rs.getBoolean("mfa_enabled"),
				rs.getLong("mfa_last_step"), rs.getInt("failed_attempts"), locked == null ? null : locked.toInstant());
	}

	private static List<String> roles(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}
}
