package dev.videoforge.auth.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.auth.OidcSettings;
import java.text.ParseException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Accepts this server's own access tokens and, when configured, an OpenID Connect provider's.
 * The issuer named in the token picks the verifier; a token from the provider, once verified, is
 * seen by the rest of the application as the mapped local account's.
 */
class ExternalAwareJwtDecoder implements JwtDecoder {

	private final JwtDecoder local;
	private final JwtDecoder external;
	private final OidcSettings oidc;
	private final ExternalIdentities identities;

	ExternalAwareJwtDecoder(JwtDecoder local, JwtDecoder external, OidcSettings oidc, ExternalIdentities identities) {
		this.local = local;
		this.external = external;
		this.oidc = oidc;
		this.identities = identities;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		String issuer;
		try {
			issuer = com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException | RuntimeException e) {
			throw new BadJwtException("malformed token", e);
		}
		if (!oidc.issuer().toString().equals(issuer)) {
			return local.decode(token);
		}
		Jwt verified = external.decode(token);
		String name = oidc.usernameClaims().stream().map(verified::getClaimAsString).filter(v -> v != null && !v.isBlank())
				.findFirst().orElse(verified.getSubject());
		var user = identities.resolve(issuer, verified.getSubject(), name);
		return Jwt.withTokenValue(token).headers(h -> h.putAll(verified.getHeaders())).claims(c -> {
			c.putAll(verified.getClaims());
			c.put("sub", user.id());
			c.put("username", user.username());
			c.put(CurrentUser.PRIVILEGES_CLAIM, user.privileges());
			c.put(TokenService.TYPE_CLAIM, "access");
		}).build();
	}
}
