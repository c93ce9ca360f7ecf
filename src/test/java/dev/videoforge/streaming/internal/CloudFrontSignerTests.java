package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.catalog.Visibility;
import dev.videoforge.streaming.SigningSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CloudFront signed URLs, checked the way CloudFront checks them and not with the SDK that made
 * them: the {@code Policy} decoded from CloudFront's URL-safe base64, its resource and expiry read,
 * and the {@code Signature} verified over it with the JDK's {@link Signature} and the public key.
 */
class CloudFrontSignerTests {

	private static KeyPair pair;
	private static KeyPair otherPair;
	private static Path privateKey;

	@TempDir
	static Path dir;

	@BeforeAll
	static void keys() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		pair = generator.generateKeyPair();
		otherPair = generator.generateKeyPair();
		privateKey = dir.resolve("cloudfront.pem");
		Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
	}

	/** CloudFront's URL-safe base64: '+' '=' '/' written as '-' '_' '~'. */
	private static byte[] cloudFrontDecode(String value) {
		return Base64.getDecoder().decode(value.replace('-', '+').replace('_', '=').replace('~', '/'));
	}

	private record Signed(String policy, byte[] signature, String keyPairId, String hashAlgorithm) {
	}

	private static Signed parse(String query) {
		Map<String, String> p = UrlSignerTests.params(query);
		assertThat(p).containsKeys("Policy", "Signature", "Key-Pair-Id");
		return new Signed(new String(cloudFrontDecode(p.get("Policy")), StandardCharsets.UTF_8),
				cloudFrontDecode(p.get("Signature")), p.get("Key-Pair-Id"), p.getOrDefault("Hash-Algorithm", "SHA1"));
	}

	/** CloudFront's check: RSA over the policy's bytes, SHA-1 unless the URL names another hash. */
	private static boolean verifies(Signed signed, String policy, PublicKey key) throws Exception {
		Signature verifier = Signature.getInstance(signed.hashAlgorithm().equals("SHA256") ? "SHA256withRSA" : "SHA1withRSA");
		verifier.initVerify(key);
		verifier.update(policy.getBytes(StandardCharsets.UTF_8));
		return verifier.verify(signed.signature());
	}

	@Test
	void signsAPolicyOverEveryFileOfTheVideoUntilTheExpiry() throws Exception {
		Instant expires = Instant.parse("2026-06-01T12:00:00Z");
		String pattern = "https://cdn.example.com/api/stream/vid-a/*";
		Signed signed = parse(new CloudFrontSigner("K2JCJMDEHXQW5F", privateKey).query(pattern, expires));

		assertThat(signed.keyPairId()).isEqualTo("K2JCJMDEHXQW5F");
		JsonNode statement = JsonMapper.builder().build().readTree(signed.policy()).path("Statement");
		assertThat(statement.size()).isEqualTo(1);
		assertThat(statement.get(0).path("Resource").asString()).isEqualTo(pattern);
		assertThat(statement.get(0).path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong())
				.isEqualTo(expires.getEpochSecond());
		assertThat(verifies(signed, signed.policy(), pair.getPublic())).isTrue();
	}

	@Test
	void aTamperedPolicyOrAnotherKeyDoesNotVerify() throws Exception {
		Instant expires = Instant.parse("2026-06-01T12:00:00Z");
		Signed signed = parse(new CloudFrontSigner("K1", privateKey).query("https://cdn.example.com/api/stream/vid-a/*", expires));
		String longer = signed.policy().replace(String.valueOf(expires.getEpochSecond()),
				String.valueOf(expires.plus(Duration.ofDays(365)).getEpochSecond()));
		String otherVideo = signed.policy().replace("vid-a", "vid-b");
		assertThat(longer).isNotEqualTo(signed.policy());
		assertThat(otherVideo).isNotEqualTo(signed.policy());
		assertThat(verifies(signed, longer, pair.getPublic())).as("expiry pushed back").isFalse();
		assertThat(verifies(signed, otherVideo, pair.getPublic())).as("another video").isFalse();
		assertThat(verifies(signed, signed.policy(), otherPair.getPublic())).as("someone else's key").isFalse();
	}

	@Test
	void theUrlSignerAddsTheCloudFrontSignatureForTheSameVideoAndExpiry() throws Exception {
		var clock = new UrlSignerTests.MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
		URI cdn = URI.create("https://cdn.example.com");
		UrlSigner signer = new UrlSigner(Map.of("k1", "k1-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
				"k1", new SigningSettings(null, "k1", Duration.ofHours(2), cdn, "K1", privateKey), clock,
				new CloudFrontSigner("K1", privateKey), id -> 0L);
		String url = signer.url(UrlSignerTests.video("vid-a", Visibility.PRIVATE), "master.m3u8");
		assertThat(url).startsWith("https://cdn.example.com/api/stream/vid-a/master.m3u8?exp=");
		String query = url.substring(url.indexOf('?') + 1);
		Map<String, String> p = UrlSignerTests.params(query);
		long exp = Long.parseLong(p.get("exp"));
		assertThat(exp).isEqualTo(clock.instant().plus(Duration.ofHours(2)).getEpochSecond());
		assertThat(signer.check("vid-a", p.get("exp"), p.get("kid"), p.get("sig"))).isEqualTo(UrlSigner.Check.VALID);

		Signed signed = parse(query);
		JsonNode statement = JsonMapper.builder().build().readTree(signed.policy()).path("Statement").get(0);
		assertThat(statement.path("Resource").asString()).isEqualTo("https://cdn.example.com/api/stream/vid-a/*");
		assertThat(statement.path("Condition").path("DateLessThan").path("AWS:EpochTime").asLong()).isEqualTo(exp);
		assertThat(verifies(signed, signed.policy(), pair.getPublic())).isTrue();
	}

	@Test
	void aMissingKeyFileIsNamedInTheError() {
		Path missing = dir.resolve("absent.pem");
		assertThatThrownBy(() -> new CloudFrontSigner("K1", missing).query("https://cdn.example.com/api/stream/v/*",
				Instant.parse("2026-06-01T12:00:00Z"))).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("cannot read the CloudFront private key").hasMessageContaining(missing.toString());
	}
}
