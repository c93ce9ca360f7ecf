package dev.videoforge.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Rate limits ({@code videoforge.rate-limit.*}): token buckets per client address, and per account
 * where an account is named. Per-address limits run at the edge only (the gateway role): services
 * behind it would otherwise count every client as the gateway. Strict where passwords and codes are guessed, generous for normal
 * work (an upload of 50 files, players fetching segments, pages polling status).
 *
 * @param enabled whether any limit applies
 * @param loginPerMinute login attempts per address
 * @param mfaPerMinute second-step (code) attempts per address
 * @param accountPerMinute login and code attempts per account, from any address
 * @param registerPerHour accounts created per address
 * @param apiPerMinute other API requests per address
 * @param streamPerMinute streaming requests (playlists, segments) per address
 * @param maxKeyLength longest account name (or other client-given text) a limit is kept under;
 *     longer is refused with 400 before it becomes a key (usernames have at most 64 characters)
 * @param maxAuthBody largest request body accepted by {@code /api/auth/*} (login, MFA codes,
 *     registration); larger is 413 before anything reads it
 * @param trustForwardedFor take the client address from {@code X-Forwarded-For}, whatever the peer
 *     (only behind a proxy that sets it; {@code videoforge.gateway.trusted-proxies} names the proxies instead)
 * @param store where the buckets live: {@code memory} (this process only), {@code database} (the
 *     PostgreSQL every gateway of a fleet shares, so N gateways allow the limit once, not N times), or
 *     {@code auto}: the database when it is PostgreSQL, else memory (the embedded H2 is one process's)
 * @param syncEvery the generous limits ({@code api}, {@code stream}) are counted in the process and
 *     written to the shared buckets at least this often (and after a tenth of their capacity), so a
 *     segment request costs no database round trip; the strict ones (login, codes, registration,
 *     per account) are counted in the database on every attempt
 */
@ConfigurationProperties("videoforge.rate-limit")
public record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("10") long loginPerMinute,
		@DefaultValue("10") long mfaPerMinute, @DefaultValue("10") long accountPerMinute,
		@DefaultValue("20") long registerPerHour, @DefaultValue("3000") long apiPerMinute,
		@DefaultValue("12000") long streamPerMinute, @DefaultValue("256") int maxKeyLength,
		@DefaultValue("16KB") DataSize maxAuthBody, @DefaultValue("false") boolean trustForwardedFor,
		@DefaultValue("auto") Store store, @DefaultValue("1s") java.time.Duration syncEvery) {

	/** Where the token buckets live. */
	public enum Store {
		AUTO, MEMORY, DATABASE
	}
}
