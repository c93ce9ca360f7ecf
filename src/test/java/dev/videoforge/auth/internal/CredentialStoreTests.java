package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.support.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Refresh-token rotation and reuse detection, and recovery codes, on a real (H2) database with the
 * product's migrations.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialStoreTests {

	private static final Duration TTL = Duration.ofDays(30);
	private static final Duration LIFETIME = Duration.ofDays(30);
	private static final Duration NO_GRACE = Duration.ZERO;
	private static final Duration GRACE = Duration.ofHours(1);

	private HikariDataSource database;
	private JdbcClient jdbc;
	private CredentialStore store;

	@BeforeEach
	void database() {
		database = TestDatabases.h2();
		jdbc = JdbcClient.create(database);
		store = new CredentialStore(jdbc, new BCryptPasswordEncoder(4));
		user("u1");
		user("u2");
	}

	@AfterEach
	void close() {
		database.close();
	}

	private void user(String id) {
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', 'USER', ?)")
				.params(id, "name-" + id, OffsetDateTime.now(ZoneOffset.UTC)).update();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	/** A token of a new session that started {@code sessionAge} ago and expires at {@code expires}. */
	private CredentialStore.RefreshToken token(String userId, Duration sessionAge, Instant expires) {
		Instant start = now().minus(sessionAge);
		var token = new CredentialStore.RefreshToken(UUID.randomUUID().toString(), userId, UUID.randomUUID().toString(), start,
				start, expires);
		store.addRefreshToken(token);
		return token;
	}

	private CredentialStore.RefreshToken fresh(String userId) {
		return token(userId, Duration.ZERO, now().plus(TTL));
	}

	private CredentialStore.RefreshUse use(CredentialStore.RefreshToken token, Duration grace) {
		return store.useRefreshToken(token.id(), token.userId(), TTL, LIFETIME, grace);
	}

	private static CredentialStore.RefreshToken successor(CredentialStore.RefreshUse use) {
		assertThat(use).isInstanceOf(CredentialStore.Rotated.class);
		return ((CredentialStore.Rotated) use).successor();
	}

	@Test
	void usingATokenGivesASuccessorInTheSameSession() {
		var first = fresh("u1");
		var next = successor(use(first, NO_GRACE));
		assertThat(next.id()).isNotEqualTo(first.id());
		assertThat(next.sessionId()).isEqualTo(first.sessionId());
		assertThat(next.sessionStartedAt()).isEqualTo(first.sessionStartedAt());
		assertThat(next.userId()).isEqualTo("u1");
		// The successor is usable in its turn.
		assertThat(successor(use(next, NO_GRACE)).sessionId()).isEqualTo(first.sessionId());
	}

	@Test
	void aSecondUseWithinTheGraceGetsTheVerySameSuccessor() {
		var first = fresh("u1");
		var next = successor(use(first, GRACE));
		assertThat(successor(use(first, GRACE))).isEqualTo(next);
		assertThat(successor(use(next, GRACE))).as("the session did not fork or end").isNotNull();
	}

	@Test
	void aSecondUseAfterTheGraceIsACopyAndEndsEverySessionOfTheAccount() {
		var stolen = fresh("u1");
		var otherSession = fresh("u1");
		var someoneElse = fresh("u2");
		var next = successor(use(stolen, NO_GRACE));
		assertThat(use(stolen, NO_GRACE)).isInstanceOf(CredentialStore.Reused.class);
		assertThat(use(next, NO_GRACE)).as("the thief's successor").isInstanceOf(CredentialStore.Invalid.class);
		assertThat(use(otherSession, NO_GRACE)).as("the account's other session").isInstanceOf(CredentialStore.Invalid.class);
		assertThat(use(someoneElse, NO_GRACE)).as("another account").isInstanceOf(CredentialStore.Rotated.class);
	}

	@Test
	void anExpiredOrUnknownOrForeignTokenIsInvalid() {
		var expired = token("u1", Duration.ofDays(1), now().minusSeconds(1));
		assertThat(use(expired, GRACE)).isInstanceOf(CredentialStore.Invalid.class);
		assertThat(store.useRefreshToken("no-such-token", "u1", TTL, LIFETIME, GRACE)).isInstanceOf(CredentialStore.Invalid.class);
		var mine = fresh("u1");
		assertThat(store.useRefreshToken(mine.id(), "u2", TTL, LIFETIME, GRACE)).as("u1's token presented as u2's")
				.isInstanceOf(CredentialStore.Invalid.class);
		assertThat(use(mine, GRACE)).as("still unused after that").isInstanceOf(CredentialStore.Rotated.class);
	}

	@Test
	void refreshingNeverExtendsASessionPastItsLifetime() {
		var old = token("u1", LIFETIME.minus(Duration.ofHours(1)), now().plus(TTL));
		var next = successor(use(old, NO_GRACE));
		assertThat(next.expiresAt()).isEqualTo(old.sessionStartedAt().plus(LIFETIME));
		var over = token("u1", LIFETIME.plusSeconds(1), now().plus(TTL));
		assertThat(use(over, NO_GRACE)).isInstanceOf(CredentialStore.Invalid.class);
	}

	@Test
	void aRevokedTokenIsInvalidAndEndingOtherSessionsKeepsTheCallers() {
		var revoked = fresh("u1");
		store.revoke(revoked.id());
		assertThat(use(revoked, GRACE)).isInstanceOf(CredentialStore.Invalid.class);
		var mine = fresh("u1");
		var laptop = fresh("u1");
		store.revokeAllBut("u1", mine.sessionId());
		assertThat(use(laptop, GRACE)).isInstanceOf(CredentialStore.Invalid.class);
		assertThat(use(mine, GRACE)).isInstanceOf(CredentialStore.Rotated.class);
	}

	@Test
	void eachRecoveryCodeWorksOnceForItsOwnAccount() {
		List<String> codes = store.newRecoveryCodes("u1", 10);
		assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
		assertThat(jdbc.sql("SELECT code_hash FROM recovery_codes").query(String.class).list()).hasSize(10)
				.as("stored hashed").doesNotContainAnyElementsOf(codes);
		String code = codes.get(3);
		assertThat(store.useRecoveryCode("u2", code)).as("another account's code").isFalse();
		assertThat(store.useRecoveryCode("u1", " " + code.toUpperCase().replace("-", "") + " ")).as("typed loosely").isTrue();
		assertThat(store.useRecoveryCode("u1", code)).as("used up").isFalse();
		assertThat(store.useRecoveryCode("u1", codes.get(4))).isTrue();
		assertThat(store.useRecoveryCode("u1", "not-a-code")).isFalse();
	}

	@Test
	void newRecoveryCodesReplaceTheOldOnes() {
		List<String> old = store.newRecoveryCodes("u1", 3);
		List<String> fresh = store.newRecoveryCodes("u1", 3);
		assertThat(store.useRecoveryCode("u1", old.get(0))).isFalse();
		assertThat(store.useRecoveryCode("u1", fresh.get(0))).isTrue();
		store.deleteRecoveryCodes("u1");
		assertThat(store.useRecoveryCode("u1", fresh.get(1))).isFalse();
	}
}
