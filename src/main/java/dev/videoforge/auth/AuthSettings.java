package dev.videoforge.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Account settings ({@code videoforge.auth.*}).
 *
 * @param jwtSecret HMAC key for tokens (at least 32 characters); when empty, a random key is made once
 *     and kept in {@code <data-dir>/secrets/jwt.key}. Set it when several processes share tokens.
 * @param accessTokenTtl lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token
 * @param minPasswordLength shortest password accepted at registration
 * @param adminUsername the account registered with this name is the administrator; when unset,
 *     the first account of a fresh install is
 */
@ConfigurationProperties("videoforge.auth")
public record AuthSettings(String jwtSecret, @DefaultValue("15m") Duration accessTokenTtl,
		@DefaultValue("30d") Duration refreshTokenTtl, @DefaultValue("8") int minPasswordLength, String adminUsername) {
}
