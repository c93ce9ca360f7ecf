package dev.videoforge.streaming;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Playback URL settings ({@code videoforge.streaming.signing.*}).
 *
 * @param keys HMAC keys by id (at least 32 characters each). URLs are signed with the active key
 *     and accepted with any listed key, so a key can be rotated without breaking links in flight.
 *     When empty, one key is made and kept in {@code <data-dir>/secrets/url-signing.key}.
 * @param activeKeyId the key that signs new URLs (default: the only key, or {@code k1})
 * @param ttl how long a signed URL stays valid
 * @param cdnBaseUrl when set, URLs handed out start with it instead of the server's own path
 * @param cloudfrontKeyPairId CloudFront public key id; with {@code cloudfrontPrivateKey}, URLs also
 *     carry a CloudFront signature (custom policy covering every file of the video)
 * @param cloudfrontPrivateKey PEM file of the CloudFront key pair's private key
 */
@ConfigurationProperties("videoforge.streaming.signing")
public record SigningSettings(Map<String, String> keys, String activeKeyId, @DefaultValue("6h") Duration ttl,
		URI cdnBaseUrl, String cloudfrontKeyPairId, Path cloudfrontPrivateKey) {
}
