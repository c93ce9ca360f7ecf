package dev.videoforge.auth;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An external OpenID Connect identity provider ({@code videoforge.auth.oidc.*}), optional. When
 * {@code issuer} and {@code jwksUri} are set, access tokens it signed are accepted besides this
 * server's own: signature (from the JWKS), issuer, audience and expiry are checked, and the
 * account is mapped to a local one on first use.
 *
 * @param issuer the provider's issuer ({@code iss}), e.g. {@code https://cognito-idp.<region>.amazonaws.com/<pool>}
 * @param jwksUri where its signing keys are published
 * @param audience the audience ({@code aud}, or Cognito's {@code client_id}) tokens must name; empty accepts any
 * @param usernameClaims claims tried in order for the local username
 */
@ConfigurationProperties("videoforge.auth.oidc")
public record OidcSettings(URI issuer, URI jwksUri, String audience,
		@DefaultValue({ "preferred_username", "cognito:username", "username", "email" }) List<String> usernameClaims) {

	public boolean enabled() {
		return issuer != null && jwksUri != null;
	}
}
