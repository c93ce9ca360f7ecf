package dev.videoforge.auth.internal;

import dev.videoforge.shared.Ids;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

	/** One refresh token of a session: the chain of tokens from one login, which keeps its id and start. */
	record RefreshToken(String id, String userId, String sessionId, Instant sessionStartedAt, Instant issuedAt,
			Instant expiresAt) {
	}

	void addRefreshToken(RefreshToken token) {
		jdbc.sql("""
				INSERT INTO refresh_tokens (id, user_id, session_id, session_started_at, issued_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)""")
				.params(token.id(), token.userId(), token.sessionId(), utc(token.sessionStartedAt()), utc(token.issuedAt()),
						utc(token.expiresAt()))
				.update();
	}

	/** What using a refresh token gave: its successor, or why there is none. */
	sealed interface RefreshUse {
	}

	record Rotated(RefreshToken successor) implements RefreshUse {
	}

	/** Used before, outside the grace window: a copy. Every session of the account is over. */
	record Reused() implements RefreshUse {
	}

	/** Unknown, revoked, expired, or its session reached its absolute lifetime. */
	record Invalid() implements RefreshUse {
	}

	private record Row(RefreshToken token, Instant usedAt, Instant revokedAt, String successorId) {
	}

	private Optional<Row> row(String tokenId, String userId) {
		return jdbc.sql("""
				SELECT id, user_id, session_id, session_started_at, issued_at, expires_at, used_at, revoked_at, successor_id
				FROM refresh_tokens WHERE id = ? AND user_id = ?""").params(tokenId, userId)
				.query((rs, n) -> new Row(new RefreshToken(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
						instant(rs, 5), instant(rs, 6)), instant(rs, 7), instant(rs, 8), rs.getString(9)))
				.optional();
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/**
	 * Uses a refresh token once (rotation, RFC 9700 §4.14.2). A second use within {@code grace} (two
	 * tabs, a retried request whose answer was lost) gets the very successor the first use got, so a
	 * session never forks; a later one means the token was copied, and every refresh token of the user
	 * is revoked. A successor never outlives {@code sessionStart + lifetime}.
	 */
	RefreshUse useRefreshToken(String tokenId, String userId, Duration ttl, Duration lifetime, Duration grace) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Optional<Row> found = row(tokenId, userId);
		if (found.isEmpty() || found.get().revokedAt() != null) {
			return new Invalid();
		}
		Row row = found.get();
		if (row.usedAt() == null) {
			if (!row.token().expiresAt().isAfter(now)) {
				return new Invalid();
			}
			Instant sessionEnd = row.token().sessionStartedAt().plus(lifetime);
			if (!sessionEnd.isAfter(now)) {
				return new Invalid();
			}
			Instant expiry = now.plus(ttl).isBefore(sessionEnd) ? now.plus(ttl) : sessionEnd;
			RefreshToken successor = new RefreshToken(UUID.randomUUID().toString(), userId, row.token().sessionId(),
					row.token().sessionStartedAt(), now, expiry);
			// The successor exists before the old token points to it, so a racing second use finds it.
			addRefreshToken(successor);
			int used = jdbc.sql("""
					UPDATE refresh_tokens SET used_at = ?, successor_id = ?
					WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL""").params(utc(now), successor.id(), tokenId).update();
			if (used == 1) {
				return new Rotated(successor);
			}
			jdbc.sql("DELETE FROM refresh_tokens WHERE id = ?").param(successor.id()).update();
			row = row(tokenId, userId).orElseThrow();
			if (row.revokedAt() != null || row.usedAt() == null) {
				return new Invalid();
			}
		}
		if (row.usedAt().isAfter(now.minus(grace)) && row.successorId() != null) {
			var successor = row(row.successorId(), userId);
			if (successor.isPresent() && successor.get().revokedAt() == null) {
				return new Rotated(successor.get().token());
			}
		}
		revokeAll(userId);
		return new Reused();
	}

	void revoke(String tokenId) {
		jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(utc(Instant.now()), tokenId)
				.update();
	}

	void revokeAll(String userId) {
		jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
				.params(utc(Instant.now()), userId).update();
	}

	/** Ends every session of the user but {@code keptSessionId} (null: all of them). */
	void revokeAllBut(String userId, String keptSessionId) {
		if (keptSessionId == null) {
			revokeAll(userId);
			return;
		}
		jdbc.sql("""
				UPDATE refresh_tokens SET revoked_at = ?
				WHERE user_id = ? AND revoked_at IS NULL AND (session_id IS NULL OR session_id <> ?)""")
				.params(utc(Instant.now()), userId, keptSessionId).update();
	}

	/** Forgets the user's recovery codes (MFA turned off). */
	void deleteRecoveryCodes(String userId) {
		jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
	}
}
