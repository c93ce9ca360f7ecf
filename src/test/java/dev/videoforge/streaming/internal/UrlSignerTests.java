package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.streaming.SigningSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signed playback URLs: what a client is handed, and which links the server accepts, against a
 * clock the test moves and signing generations the test raises.
 */
class UrlSignerTests {

	private static final byte[] K1 = "k1-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
	private static final byte[] K2 = "k2-fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

	/** A clock that stands still until the test moves it. */
	static final class MovableClock extends Clock {
		private volatile Instant now;

		MovableClock(Instant start) {
			this.now = start;
		}

		void advance(Duration by) {
			now = now.plus(by);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}
	}

	private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
	private final Map<String, Long> generations = new HashMap<>(Map.of("vid-a", 0L, "vid-b", 0L));

	private UrlSigner signer(Map<String, byte[]> keys, String active, URI cdn) {
		return new UrlSigner(keys, active, new SigningSettings(null, active, Duration.ofHours(6), cdn, null, null), clock, null,
				id -> generations.getOrDefault(id, -1L));
	}

	private UrlSigner signer() {
		return signer(Map.of("k1", K1), "k1", null);
	}

	static Video video(String id, Visibility visibility) {
		return new Video(id, "owner", "owner", "title", "", visibility, VideoStatus.READY, 100, 10.0, 1280, 720, List.of(),
				false, "a.mp4", 1L, null, Instant.EPOCH, Instant.EPOCH, false, null, null);
	}

	/** The query's parameters, in order. */
	static Map<String, String> params(String query) {
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			params.put(pair.substring(0, eq), pair.substring(eq + 1));
		}
		return params;
	}

	private static UrlSigner.Check check(UrlSigner signer, String video, Map<String, String> p) {
		return signer.check(video, p.get("exp"), p.get("kid"), p.get("sig"));
	}

	private static String hmac(byte[] key, String message) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aPublicVideosUrlIsPlain() {
		assertThat(signer().url(video("vid-a", Visibility.PUBLIC), "master.m3u8")).isEqualTo("/api/stream/vid-a/master.m3u8");
	}

	@Test
	void anUnlistedVideosUrlCarriesAnExpiryTheKeyAndAnHmacOfVideoAndExpiry() throws Exception {
		String url = signer().url(video("vid-a", Visibility.UNLISTED), "master.m3u8");
		assertThat(url).startsWith("/api/stream/vid-a/master.m3u8?");
		Map<String, String> p = params(url.substring(url.indexOf('?') + 1));
		assertThat(p.keySet()).containsExactly("exp", "kid", "sig");
		long exp = clock.instant().plus(Duration.ofHours(6)).getEpochSecond();
		assertThat(p).containsEntry("exp", String.valueOf(exp)).containsEntry("kid", "k1");
		// Computed here from the documented format, not by the class under test.
		assertThat(p.get("sig")).isEqualTo(hmac(K1, "v1|vid-a|" + exp));
	}

	@Test
	void acceptsItsOwnSignatureUntilItExpires() {
		UrlSigner signer = signer();
		Map<String, String> p = params(signer.query("vid-a"));
		assertThat(check(signer, "vid-a", p)).isEqualTo(UrlSigner.Check.VALID);
		clock.advance(Duration.ofHours(6).minusSeconds(1));
		assertThat(check(signer, "vid-a", p)).isEqualTo(UrlSigner.Check.VALID);
		clock.advance(Duration.ofSeconds(1));
		assertThat(check(signer, "vid-a", p)).isEqualTo(UrlSigner.Check.EXPIRED);
	}

	@Test
	void aSignatureOpensOnlyItsOwnVideo() {
		UrlSigner signer = signer();
		Map<String, String> p = params(signer.query("vid-a"));
		assertThat(check(signer, "vid-b", p)).isEqualTo(UrlSigner.Check.FORGED);
	}

	@Test
	void refusesATamperedExpiryOrSignature() {
		UrlSigner signer = signer();
		Map<String, String> p = params(signer.query("vid-a"));
		Map<String, String> later = new HashMap<>(p);
		later.put("exp", String.valueOf(Long.parseLong(p.get("exp")) + 86_400));
		assertThat(check(signer, "vid-a", later)).as("expiry pushed back a day").isEqualTo(UrlSigner.Check.FORGED);
		Map<String, String> flipped = new HashMap<>(p);
		char last = p.get("sig").charAt(p.get("sig").length() - 1);
		flipped.put("sig", p.get("sig").substring(0, p.get("sig").length() - 1) + (last == 'A' ? 'B' : 'A'));
		assertThat(check(signer, "vid-a", flipped)).isEqualTo(UrlSigner.Check.FORGED);
		Map<String, String> garbage = new HashMap<>(p);
		garbage.put("exp", "tomorrow");
		assertThat(check(signer, "vid-a", garbage)).isEqualTo(UrlSigner.Check.FORGED);
	}

	@Test
	void namesWhatIsMissingOrUnknown() {
		UrlSigner signer = signer();
		Map<String, String> p = params(signer.query("vid-a"));
		assertThat(signer.check("vid-a", null, null, null)).isEqualTo(UrlSigner.Check.MISSING);
		assertThat(signer.check("vid-a", p.get("exp"), "k1", null)).isEqualTo(UrlSigner.Check.MISSING);
		assertThat(signer.check("vid-a", p.get("exp"), "k9", p.get("sig"))).isEqualTo(UrlSigner.Check.UNKNOWN_KEY);
	}

	@Test
	void raisingTheGenerationVoidsEveryLinkSignedBefore() throws Exception {
		UrlSigner signer = signer();
		Map<String, String> before = params(signer.query("vid-a"));
		generations.put("vid-a", 1L);
		assertThat(check(signer, "vid-a", before)).as("signed at generation 0").isEqualTo(UrlSigner.Check.FORGED);
		Map<String, String> after = params(signer.query("vid-a"));
		assertThat(check(signer, "vid-a", after)).isEqualTo(UrlSigner.Check.VALID);
		assertThat(after.get("sig")).isEqualTo(hmac(K1, "v1|vid-a|" + after.get("exp") + "|1"));
		// A wrong generation does not open it either: one ahead is as bad as one behind.
		Map<String, String> ahead = new HashMap<>(after);
		ahead.put("sig", hmac(K1, "v1|vid-a|" + after.get("exp") + "|2"));
		assertThat(check(signer, "vid-a", ahead)).isEqualTo(UrlSigner.Check.FORGED);
	}

	@Test
	void aDeletedVideosLinksStopWorking() {
		UrlSigner signer = signer();
		Map<String, String> p = params(signer.query("vid-a"));
		generations.put("vid-a", -1L);
		assertThat(check(signer, "vid-a", p)).isEqualTo(UrlSigner.Check.FORGED);
	}

	@Test
	void afterAKeyRotationLinksSignedWithTheOldKeyStillOpenWhileItIsListed() {
		Map<String, String> old = params(signer(Map.of("k1", K1), "k1", null).query("vid-a"));
		UrlSigner rotated = signer(Map.of("k1", K1, "k2", K2), "k2", null);
		assertThat(params(rotated.query("vid-a"))).containsEntry("kid", "k2");
		assertThat(check(rotated, "vid-a", old)).isEqualTo(UrlSigner.Check.VALID);
		UrlSigner retired = signer(Map.of("k2", K2), "k2", null);
		assertThat(check(retired, "vid-a", old)).isEqualTo(UrlSigner.Check.UNKNOWN_KEY);
		// And a signature made with k1 but labelled k2 is a forgery.
		Map<String, String> relabelled = new HashMap<>(old);
		relabelled.put("kid", "k2");
		assertThat(check(rotated, "vid-a", relabelled)).isEqualTo(UrlSigner.Check.FORGED);
	}

	@Test
	void urlsStartWithTheCdnWhenOneIsSet() {
		UrlSigner signer = signer(Map.of("k1", K1), "k1", URI.create("https://cdn.example.com/"));
		assertThat(signer.url(video("vid-a", Visibility.PUBLIC), "thumbnail.jpg"))
				.isEqualTo("https://cdn.example.com/api/stream/vid-a/thumbnail.jpg");
		assertThat(signer.url(video("vid-a", Visibility.PRIVATE), "master.m3u8"))
				.startsWith("https://cdn.example.com/api/stream/vid-a/master.m3u8?exp=");
	}

	@Test
	void refusesAnActiveKeyThatIsNotListed() {
		assertThatThrownBy(() -> signer(Map.of("k1", K1), "k2", null)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("active-key-id").hasMessageContaining("'k2'");
	}
}
