package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.auth.CurrentUser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Issues the access and refresh tokens of API.md. A pair is a pure function of its refresh token's
 * row (id, session, issue and expiry times, to the second) and the account: HS256 is deterministic,
 * so the same row gives the same pair again, which is how a refresh repeated within the grace window
 * gets the very successor the first one got.
 */
class TokenService {

	static final String ISSUER = "videoforge";
	static final String TYPE_CLAIM = "typ";
	/** The session (login) an access token belongs to, so "end every other session" can keep the caller's. */
	static final String SESSION_CLAIM = "sid";

	record Tokens(String accessToken, String refreshToken, long expiresIn) {
	}

	private final JwtEncoder encoder;
	private final AuthSettings settings;
	private final CredentialStore credentials;

	TokenService(JwtEncoder encoder, AuthSettings settings, CredentialStore credentials) {
		this.encoder = encoder;
		this.settings = settings;
		this.credentials = credentials;
	}

	/** A short-lived token that proves the password was right, for the second (MFA) step. */
	String mfaToken(String userId) {
		Instant now = Instant.now();
		return encode(JwtClaimsSet.builder().issuer(ISSUER).subject(userId).issuedAt(now)
				.expiresAt(now.plus(settings.mfaTokenTtl())).id(UUID.randomUUID().toString())
				.claim(TYPE_CLAIM, "mfa").build());
	}

	/** A new session (a login): its first pair. */
	Tokens issue(String userId, String username, List<String> privileges) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Instant end = now.plus(settings.sessionLifetime());
		Instant expiry = now.plus(settings.refreshTokenTtl()).isBefore(end) ? now.plus(settings.refreshTokenTtl()) : end;
		var token = new CredentialStore.RefreshToken(UUID.randomUUID().toString(), userId, UUID.randomUUID().toString(), now,
				now, expiry);
		credentials.addRefreshToken(token);
		return pair(token, username, privileges);
	}

	/** The pair of a stored refresh token; the access token never outlives the session either. */
	Tokens pair(CredentialStore.RefreshToken token, String username, List<String> privileges) {
		Instant issued = token.issuedAt();
		Instant sessionEnd = token.sessionStartedAt().plus(settings.sessionLifetime());
		Instant accessExpiry = issued.plus(settings.accessTokenTtl());
		if (accessExpiry.isAfter(sessionEnd)) {
			accessExpiry = sessionEnd;
		}
		String access = encode(JwtClaimsSet.builder().issuer(ISSUER).subject(token.userId()).issuedAt(issued)
				.expiresAt(accessExpiry).claim("username", username).claim(CurrentUser.PRIVILEGES_CLAIM, privileges)
				.claim(SESSION_CLAIM, token.sessionId()).claim(TYPE_CLAIM, "access").build());
		String refresh = encode(JwtClaimsSet.builder().issuer(ISSUER).subject(token.userId()).issuedAt(issued)
				.expiresAt(token.expiresAt()).id(token.id()).claim(TYPE_CLAIM, "refresh").build());
		return new Tokens(access, refresh, Math.max(0, accessExpiry.getEpochSecond() - Instant.now().getEpochSecond()));
	}

	private String encode(JwtClaimsSet claims) {
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
		return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}
}
