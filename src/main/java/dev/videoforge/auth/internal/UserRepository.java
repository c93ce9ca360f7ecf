package dev.videoforge.auth.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

	record User(String id, String username, String passwordHash, List<String> privileges, String mfaSecret, boolean mfaEnabled,
			long mfaLastStep) {

		User(String id, String username, String passwordHash, List<String> privileges) {
			this(id, username, passwordHash, privileges, null, false, 0);
		}
	}

	private static final Logger log = LoggerFactory.getLogger(UserRepository.class);
	private static final String COLUMNS = "id, username, password_hash, roles, mfa_secret, mfa_enabled, mfa_last_step";

	private final JdbcClient jdbc;
	private final TotpSecrets secrets;

	UserRepository(JdbcClient jdbc, TotpSecrets secrets) {
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	Optional<User> findByUsername(String username) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = ?").param(username).query(this::map)
				.optional();
	}

	Optional<User> findByUsernameIgnoreCase(String username) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE LOWER(username) = LOWER(?)").param(username)
				.query(this::map).optional();
	}

	Optional<User> findById(String id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(this::map).optional();
	}

	boolean anyAdministrator() {
		return jdbc.sql("SELECT COUNT(*) FROM users WHERE roles LIKE '%ADMIN%'").query(Long.class).single() > 0;
	}

	void insert(User user) {
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, ?, ?, ?)")
				.params(user.id(), user.username(), user.passwordHash(), String.join(",", user.privileges()),
						OffsetDateTime.now(ZoneOffset.UTC))
				.update();
	}

	void setPassword(String userId, String hash) {
		jdbc.sql("UPDATE users SET password_hash = ? WHERE id = ?").params(hash, userId).update();
	}

	void setPendingMfaSecret(String userId, String secret) {
		jdbc.sql("UPDATE users SET mfa_secret = ? WHERE id = ? AND mfa_enabled = FALSE").params(secrets.seal(userId, secret), userId)
				.update();
	}

	/** MFA off: the secret is forgotten, so turning it on again needs a new one. */
	void disableMfa(String userId) {
		jdbc.sql("UPDATE users SET mfa_enabled = FALSE, mfa_secret = NULL, mfa_last_step = 0 WHERE id = ?").param(userId)
				.update();
	}

	/**
	 * Encrypts the TOTP secrets stored in clear before encryption at rest existed. Each row is
	 * updated only if it still holds the clear value, so processes starting together do not clash.
	 *
	 * @return how many rows were encrypted
	 */
	int encryptPlaintextSecrets() {
		var rows = jdbc.sql("SELECT id, mfa_secret FROM users WHERE mfa_secret IS NOT NULL AND mfa_secret NOT LIKE 'v1:%'")
				.query((rs, n) -> new String[] { rs.getString(1), rs.getString(2) }).list();
		int done = 0;
		for (String[] row : rows) {
			done += jdbc.sql("UPDATE users SET mfa_secret = ? WHERE id = ? AND mfa_secret = ?")
					.params(secrets.seal(row[0], row[1]), row[0], row[1]).update();
		}
		if (done > 0) {
			log.info("encrypted {} TOTP secret(s) stored in clear", done);
		}
		return done;
	}

	void enableMfa(String userId, long step) {
		jdbc.sql("UPDATE users SET mfa_enabled = TRUE, mfa_last_step = ? WHERE id = ?").params(step, userId).update();
	}

	/** Records the step of a used code; false when that step (or a later one) was used already: a replay. */
	boolean useStep(String userId, long step) {
		return jdbc.sql("UPDATE users SET mfa_last_step = ? WHERE id = ? AND mfa_last_step < ?").params(step, userId, step)
				.update() == 1;
	}

	private User map(ResultSet rs, int row) throws SQLException {
		String id = rs.getString("id");
		return new User(id, rs.getString("username"), rs.getString("password_hash"), privileges(rs.getString("roles")),
				secrets.open(id, rs.getString("mfa_secret")), rs.getBoolean("mfa_enabled"), rs.getLong("mfa_last_step"));
	}

	/** The {@code roles} column: the account's privileges, comma-separated. */
	private static List<String> privileges(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}
}
