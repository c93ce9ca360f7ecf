package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/** Issues the access and refresh tokens of API.md. */
class TokenService {

	static final String ISSUER = "videoforge";
	static final String TYPE_CLAIM = "typ";

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
				.expiresAt(now.plus(settings.mfaTokenTtl())).id(java.util.UUID.randomUUID().toString())
				.claim(TYPE_CLAIM, "mfa").build());
	}

	Tokens issue(String userId, String username, List<String> roles) {
		Instant now = Instant.now();
		String access = encode(JwtClaimsSet.builder().issuer(ISSUER).subject(userId).issuedAt(now)
				.expiresAt(now.plus(settings.accessTokenTtl())).claim("username", username).claim("roles", roles)
				.claim(TYPE_CLAIM, "access").build());
		String refreshId = java.util.UUID.randomUUID().toString();
		Instant refreshExpiry = now.plus(settings.refreshTokenTtl());
		credentials.addRefreshToken(refreshId, userId, refreshExpiry);
		String refresh = encode(JwtClaimsSet.builder().issuer(ISSUER).subject(userId).issuedAt(now).expiresAt(refreshExpiry)
				.id(refreshId).claim(TYPE_CLAIM, "refresh").build());
		return new Tokens(access, refresh, settings.accessTokenTtl().toSeconds());
	}

	private String encode(JwtClaimsSet claims) {
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
		return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}
}
