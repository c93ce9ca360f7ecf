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
 * @param refreshTokenTtl lifetime of a refresh token (each refresh gives a new one, up to the session's end)
 * @param sessionLifetime absolute lifetime of a session: refreshing never extends a login past it
 * @param minPasswordLength shortest password accepted at registration
 * @param setupToken the one-time token that makes the account registering with it the administrator;
 *     when empty, a random one is written to {@code <data-dir>/secrets/setup-token} while the install
 *     has no administrator
 * @param throttleFreeAttempts wrong passwords or codes in a row, per account and client address,
 *     before attempts from that address are slowed
 * @param throttleDelay the wait imposed after the first attempt past the free ones; it doubles with
 *     each further failure
 * @param throttleMaxDelay the longest wait imposed between two attempts
 * @param mfaTokenTtl how long the second login step may take
 * @param totpIssuer the name authenticator apps show for the account
 * @param totpKey key (at least 32 characters) that encrypts TOTP secrets at rest; when empty, a random
 *     key is made once and kept in {@code <data-dir>/secrets/totp.key}. Set the same on every process
 *     that serves {@code /api/auth}.
 * @param refreshReuseGrace a refresh token used again within this time counts as a concurrent
 *     refresh (two tabs, a retried request) and gets the same successor, not as a stolen copy
 */
@ConfigurationProperties("videoforge.auth")
public record AuthSettings(String jwtSecret, @DefaultValue("15m") Duration accessTokenTtl,
		@DefaultValue("30d") Duration refreshTokenTtl, @DefaultValue("30d") Duration sessionLifetime,
		@DefaultValue("8") int minPasswordLength, String setupToken, @DefaultValue("5") int throttleFreeAttempts,
		@DefaultValue("1s") Duration throttleDelay, @DefaultValue("15m") Duration throttleMaxDelay,
		@DefaultValue("5m") Duration mfaTokenTtl, @DefaultValue("VideoForge") String totpIssuer, String totpKey,
		@DefaultValue("10s") Duration refreshReuseGrace) {
}
