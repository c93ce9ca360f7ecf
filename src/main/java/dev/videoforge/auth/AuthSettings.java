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
 * @param maxFailedAttempts wrong passwords or codes in a row that lock an account
 * @param lockout how long a locked account stays locked
 * @param mfaTokenTtl how long the second login step may take
 * @param totpIssuer the name authenticator apps show for the account
 * @param refreshReuseGrace a refresh token used again within this time counts as a concurrent
 *     refresh (two tabs, a retried request), not as a stolen copy
 */
@ConfigurationProperties("videoforge.auth")
public record AuthSettings(String jwtSecret, @DefaultValue("15m") Duration accessTokenTtl,
		@DefaultValue("30d") Duration refreshTokenTtl, @DefaultValue("8") int minPasswordLength, String adminUsername,
		@DefaultValue("5") int maxFailedAttempts, @DefaultValue("15m") Duration lockout,
		@DefaultValue("5m") Duration mfaTokenTtl, @DefaultValue("VideoForge") String totpIssuer,
		@DefaultValue("10s") Duration refreshReuseGrace) {
}
