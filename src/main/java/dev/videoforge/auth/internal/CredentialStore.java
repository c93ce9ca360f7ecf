package dev.videoforge.auth.internal;

import dev.videoforge.shared.Ids;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;

/** Recovery codes (kept hashed, each usable once) and refresh tokens (rotated on use, revocable). */
@Repository
class CredentialStore {

	private static final char[] CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;
	private final PasswordEncoder hashes;

	CredentialStore(JdbcClient jdbc, PasswordEncoder hashes) {
		this.jdbc = jdbc;
		this.hashes = hashes;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** Replaces the user's recovery codes with {@code count} new ones; returns them in clear, this once. */
	List<String> newRecoveryCodes(String userId, int count) {
		jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			StringBuilder code = new StringBuilder();
			for (int c = 0; c < 10; c++) {
				if (c == 5) {
					code.append('-');
				}
				code.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
			}
			codes.add(code.toString());
			jdbc.sql("INSERT INTO recovery_codes (id, user_id, code_hash) VALUES (?, ?, ?)")
					.params(Ids.newId(), userId, hashes.encode(code.toString())).update();
		}
		return codes;
	}

	/** Uses one unused recovery code that matches; false when none does. */
	boolean useRecoveryCode(String userId, String code) {
		String normalized = code.trim().toLowerCase();
		if (!normalized.matches("[a-z0-9]{5}-?[a-z0-9]{5}")) {
			return false;
		}
		if (normalized.length() == 10) {
			normalized = normalized.substring(0, 5) + "-" + normalized.substring(5);
		}
		String candidate = normalized;
		var unused = jdbc.sql("SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL").param(userId)
				.query((rs, n) -> new String[] { rs.getString(1), rs.getString(2) }).list();
		for (String[] row : unused) {
			if (hashes.matches(candidate, row[1])) {
				return jdbc.sql("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL")
						.params(utc(Instant.now()), row[0]).update() == 1;
			}
		}
		return false;
	}

	void addRefreshToken(String tokenId, String userId, Instant expiresAt) {
		jdbc.sql("INSERT INTO refresh_tokens (id, user_id, expires_at) VALUES (?, ?, ?)")
				.params(tokenId, userId, utc(expiresAt)).update();
	}

	enum RefreshUse {
		OK, REUSED, UNKNOWN
	}

	/**
	 * Uses a refresh token once. A token used a second time means it was copied: every refresh
	 * token of the user is revoked (RFC 9700 §4.14.2, refresh token rotation).
	 */
	RefreshUse useRefreshToken(String tokenId, String userId, java.time.Duration grace) {
		Instant now = Instant.now();
		int used = jdbc.sql("""
				UPDATE refresh_tokens SET used_at = ?
				WHERE id = ? AND user_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?""")
				.params(utc(now), tokenId, userId, utc(now)).update();
		if (used == 1) {
			return RefreshUse.OK;
		}
		var usedAt = jdbc.sql("SELECT used_at FROM refresh_tokens WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
				.params(tokenId, userId).query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).optional();
		if (usedAt.isPresent() && usedAt.get() != null
				&& usedAt.get().toInstant().isAfter(now.minus(grace))) {
			// Two tabs refreshing at once, or a client retrying after a lost answer: not a theft.
			return RefreshUse.OK;
		}
		boolean known = jdbc.sql("SELECT COUNT(*) FROM refresh_tokens WHERE id = ? AND used_at IS NOT NULL").param(tokenId)
				.query(Long.class).single() > 0;
		if (known) {
			revokeAll(userId);
			return RefreshUse.REUSED;
		}
		return RefreshUse.UNKNOWN;
	}

	void revoke(String tokenId) {
		jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(utc(Instant.now()), tokenId)
				.update();
	}

	void revokeAll(String userId) {
		jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
				.params(utc(Instant.now()), userId).update();
	}
}
