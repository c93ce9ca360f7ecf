package dev.videoforge.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits ({@code videoforge.rate-limit.*}): token buckets per client address, and per account
 * where an account is named. Strict where passwords and codes are guessed, generous for normal
 * work (an upload of 50 files, players fetching segments, pages polling status).
 *
 * @param enabled whether any limit applies
 * @param loginPerMinute login attempts per address
 * @param mfaPerMinute second-step (code) attempts per address
 * @param accountPerMinute login and code attempts per account, from any address
 * @param registerPerHour accounts created per address
 * @param apiPerMinute other API requests per address
 * @param streamPerMinute streaming requests (playlists, segments) per address
 * @param trustForwardedFor take the client address from {@code X-Forwarded-For} (only behind a proxy that sets it)
 */
@ConfigurationProperties("videoforge.rate-limit")
public record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("10") long loginPerMinute,
		@DefaultValue("10") long mfaPerMinute, @DefaultValue("10") long accountPerMinute,
		@DefaultValue("20") long registerPerHour, @DefaultValue("3000") long apiPerMinute,
		@DefaultValue("12000") long streamPerMinute, @DefaultValue("false") boolean trustForwardedFor) {
}
