package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.auth.AuthSettings;
import dev.videoforge.support.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The tokens of API.md, verified with a decoder built here from the shared secret (signature,
 * issuer, expiry against a clock the test sets), and refreshed through a real {@link CredentialStore}
 * on H2. {@code TokenService} reads the system clock, so expiry is checked by moving the verifier's
 * clock, not by waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TokenServiceTests {

	private static final SecretKey KEY = new SecretKeySpec(
			"a-test-secret-of-more-than-32-characters".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

	private final AuthSettings settings = LoginGuardTests.settings(Map.of("videoforge.auth.access-token-ttl", "15m",
			"videoforge.auth.refresh-token-ttl", "7d", "videoforge.auth.session-lifetime", "30d",
			"videoforge.auth.mfa-token-ttl", "5m"));
	private HikariDataSource database;
	private CredentialStore credentials;
	private TokenService tokens;

	@BeforeEach
	void wire() {
		database = TestDatabases.h2();
		JdbcClient jdbc = JdbcClient.create(database);
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES ('u1', 'alice', 'x', 'USER', ?)")
				.param(OffsetDateTime.now(ZoneOffset.UTC)).update();
		credentials = new CredentialStore(jdbc, new BCryptPasswordEncoder(4));
		tokens = new TokenService(new NimbusJwtEncoder(new ImmutableSecret<>(KEY)), settings, credentials);
	}

	@AfterEach
	void close() {
		database.close();
	}

	/** Verifies as the server would, with no clock skew, at {@code at}. */
	private static Jwt verify(String token, SecretKey key, Instant at) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
		timestamps.setClock(Clock.fixed(at, ZoneOffset.UTC));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator("videoforge")));
		return decoder.decode(token);
	}

	private static Jwt verify(String token) {
		return verify(token, KEY, Instant.now());
	}

	@Test
	void aLoginGetsAnAccessTokenForTheAccountAndARefreshTokenOfItsStoredRow() {
		Instant before = Instant.now().minusSeconds(1);
		TokenService.Tokens pair = tokens.issue("u1", "alice", List.of("USER", "ADMIN"));

		Jwt access = verify(pair.accessToken());
		assertThat(access.getSubject()).isEqualTo("u1");
		assertThat(access.getClaimAsString("username")).isEqualTo("alice");
		assertThat(access.getClaimAsStringList("roles")).containsExactly("USER", "ADMIN");
		assertThat(access.getClaimAsString("typ")).isEqualTo("access");
		assertThat(access.getClaimAsString("sid")).isNotBlank();
		assertThat(access.getIssuedAt()).isAfter(before);
		assertThat(Duration.between(access.getIssuedAt(), access.getExpiresAt())).isEqualTo(Duration.ofMinutes(15));
		assertThat(pair.expiresIn()).isCloseTo(15 * 60, within(2L));

		Jwt refresh = verify(pair.refreshToken());
		assertThat(refresh.getClaimAsString("typ")).isEqualTo("refresh");
		assertThat(refresh.getSubject()).isEqualTo("u1");
		assertThat(Duration.between(refresh.getIssuedAt(), refresh.getExpiresAt())).isEqualTo(Duration.ofDays(7));
		// Its id is a stored, usable row of the store.
		assertThat(credentials.useRefreshToken(refresh.getId(), "u1", settings.refreshTokenTtl(), settings.sessionLifetime(),
				settings.refreshReuseGrace())).isInstanceOf(CredentialStore.Rotated.class);
	}

	@Test
	void anAccessTokenExpiresAfterItsTtl() {
		TokenService.Tokens pair = tokens.issue("u1", "alice", List.of("USER"));
		Instant expires = verify(pair.accessToken()).getExpiresAt();
		verify(pair.accessToken(), KEY, expires.minusSeconds(1));
		assertThatThrownBy(() -> verify(pair.accessToken(), KEY, expires.plusSeconds(1))).isInstanceOf(JwtException.class)
				.hasMessageContaining("expired");
	}

	@Test
	void aTamperedTokenOrOneSignedWithAnotherKeyIsRefused() {
		TokenService.Tokens pair = tokens.issue("u1", "alice", List.of("USER"));
		String[] parts = pair.accessToken().split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String promoted = claims.replace("\"USER\"", "\"ADMIN\"");
		assertThat(promoted).isNotEqualTo(claims);
		String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(promoted.getBytes(StandardCharsets.UTF_8))
				+ "." + parts[2];
		assertThatThrownBy(() -> verify(forged)).isInstanceOf(JwtException.class);
		SecretKey other = new SecretKeySpec("another-secret-of-more-than-32-characters".getBytes(StandardCharsets.UTF_8),
				"HmacSHA256");
		assertThatThrownBy(() -> verify(pair.accessToken(), other, Instant.now())).isInstanceOf(JwtException.class);
	}

	@Test
	void aRefreshGivesANewPairOfTheSameSessionAndARepeatWithinTheGraceTheSamePair() {
		TokenService.Tokens first = tokens.issue("u1", "alice", List.of("USER"));
		String id = verify(first.refreshToken()).getId();
		var rotated = credentials.useRefreshToken(id, "u1", settings.refreshTokenTtl(), settings.sessionLifetime(),
				Duration.ofHours(1));
		TokenService.Tokens second = tokens.pair(((CredentialStore.Rotated) rotated).successor(), "alice", List.of("USER"));
		assertThat(verify(second.refreshToken()).getId()).isNotEqualTo(id);
		assertThat(verify(second.accessToken()).getClaimAsString("sid")).isEqualTo(verify(first.accessToken()).getClaimAsString("sid"));

		var repeated = credentials.useRefreshToken(id, "u1", settings.refreshTokenTtl(), settings.sessionLifetime(),
				Duration.ofHours(1));
		TokenService.Tokens again = tokens.pair(((CredentialStore.Rotated) repeated).successor(), "alice", List.of("USER"));
		assertThat(again.accessToken()).isEqualTo(second.accessToken());
		assertThat(again.refreshToken()).isEqualTo(second.refreshToken());
	}

	@Test
	void aRefreshAfterTheGraceIsRefusedAndTheSessionEnds() {
		TokenService.Tokens first = tokens.issue("u1", "alice", List.of("USER"));
		String id = verify(first.refreshToken()).getId();
		var rotated = (CredentialStore.Rotated) credentials.useRefreshToken(id, "u1", settings.refreshTokenTtl(),
				settings.sessionLifetime(), Duration.ZERO);
		assertThat(credentials.useRefreshToken(id, "u1", settings.refreshTokenTtl(), settings.sessionLifetime(), Duration.ZERO))
				.isInstanceOf(CredentialStore.Reused.class);
		assertThat(credentials.useRefreshToken(rotated.successor().id(), "u1", settings.refreshTokenTtl(),
				settings.sessionLifetime(), Duration.ZERO)).isInstanceOf(CredentialStore.Invalid.class);
	}

	@Test
	void noTokenOutlivesTheSession() {
		AuthSettings shortSession = LoginGuardTests.settings(Map.of("videoforge.auth.access-token-ttl", "15m",
				"videoforge.auth.refresh-token-ttl", "7d", "videoforge.auth.session-lifetime", "10m"));
		TokenService service = new TokenService(new NimbusJwtEncoder(new ImmutableSecret<>(KEY)), shortSession, credentials);
		TokenService.Tokens pair = service.issue("u1", "alice", List.of("USER"));
		Jwt access = verify(pair.accessToken());
		Jwt refresh = verify(pair.refreshToken());
		assertThat(Duration.between(access.getIssuedAt(), access.getExpiresAt())).isEqualTo(Duration.ofMinutes(10));
		assertThat(refresh.getExpiresAt()).isEqualTo(access.getExpiresAt());
	}

	@Test
	void theMfaStepTokenIsShortLivedAndOfItsOwnType() {
		Jwt mfa = verify(tokens.mfaToken("u1"));
		assertThat(mfa.getSubject()).isEqualTo("u1");
		assertThat(mfa.getClaimAsString("typ")).isEqualTo("mfa");
		assertThat(Duration.between(mfa.getIssuedAt(), mfa.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
		assertThat(verify(tokens.mfaToken("u1")).getId()).as("each one unique").isNotEqualTo(mfa.getId());
	}
}
