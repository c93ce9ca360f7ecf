package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.streaming.SigningSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.ToLongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks playback URLs. A signature covers one video, its signing generation and an
 * expiry: {@code exp=<epoch s>&kid=<key id>&sig=<base64url HMAC-SHA256("v1|video|exp|generation")>}
 * (generation 0 signs {@code "v1|video|exp"}, as links did before generations existed), so the
 * same query string opens every file of that video (playlists hand it on to their segments) and
 * nothing of any other video. The generation is not in the URL: the catalog raises it when the
 * video is made PRIVATE or deleted, and every link signed before stops matching.
 */
class UrlSigner implements PlaybackUrls {

	/** Why a signature was refused, for the 403's message. */
	enum Check {
		VALID, MISSING, EXPIRED, UNKNOWN_KEY, FORGED
	}

	private final Map<String, byte[]> keys;
	private final String activeKeyId;
	private final SigningSettings settings;
	private final Clock clock;
	private final CloudFrontSigner cloudFront;
	/** A video's current signing generation (-1 when it is gone). */
	private final ToLongFunction<String> generations;

	UrlSigner(Map<String, byte[]> keys, String activeKeyId, SigningSettings settings, Clock clock, CloudFrontSigner cloudFront,
			ToLongFunction<String> generations) {
		this.generations = generations;
		this.keys = Map.copyOf(keys);
		this.activeKeyId = activeKeyId;
		this.settings = settings;
		this.clock = clock;
		this.cloudFront = cloudFront;
		if (!this.keys.containsKey(activeKeyId)) {
			throw new IllegalStateException("videoforge.streaming.signing.active-key-id: no key named '" + activeKeyId + "'");
		}
	}

	@Override
	public String url(Video video, String path) {
		String base = base() + "/api/stream/" + video.id() + "/" + path;
		if (video.visibility() == Visibility.PUBLIC) {
			return base;
		}
		return base + "?" + query(video.id());
	}

	private String base() {
		if (settings.cdnBaseUrl() == null) {
			return "";
		}
		String cdn = settings.cdnBaseUrl().toString();
		return cdn.endsWith("/") ? cdn.substring(0, cdn.length() - 1) : cdn;
	}

	/** A fresh query string that opens every file of the video until the configured ttl ends. */
	String query(String videoId) {
		long exp = clock.instant().plus(settings.ttl()).getEpochSecond();
		long generation = Math.max(0, generations.applyAsLong(videoId));
		String query = "exp=" + exp + "&kid=" + activeKeyId + "&sig="
				+ signature(keys.get(activeKeyId), videoId, generation, exp);
		if (cloudFront != null) {
			query += "&" + cloudFront.query(base() + "/api/stream/" + videoId + "/*", Instant.ofEpochSecond(exp));
		}
		return query;
	}

	Check check(String videoId, String exp, String kid, String sig) {
		if (exp == null || kid == null || sig == null) {
			return Check.MISSING;
		}
		long expiry;
		try {
			expiry = Long.parseLong(exp);
		}
		catch (NumberFormatException e) {
			return Check.FORGED;
		}
		byte[] key = keys.get(kid);
		if (key == null) {
			return Check.UNKNOWN_KEY;
		}
		long generation = generations.applyAsLong(videoId);
		if (generation < 0) {
			return Check.FORGED;
		}
		// A link signed before the video was made PRIVATE or deleted was signed with an older generation.
		boolean genuine = MessageDigest.isEqual(signature(key, videoId, generation, expiry).getBytes(StandardCharsets.US_ASCII),
				sig.getBytes(StandardCharsets.US_ASCII));
		if (!genuine) {
			return Check.FORGED;
		}
		return expiry > clock.instant().getEpochSecond() ? Check.VALID : Check.EXPIRED;
	}

	static String signature(byte[] key, String videoId, long generation, long exp) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			String message = "v1|" + videoId + "|" + exp + (generation > 0 ? "|" + generation : "");
			byte[] digest = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
