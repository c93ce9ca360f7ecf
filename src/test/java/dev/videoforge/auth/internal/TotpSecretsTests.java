package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * TOTP secrets at rest: AES-256-GCM under the configured key with the account id as associated
 * data, decrypted here with the JDK from the documented format; a wrong key, another account or a
 * changed byte does not open; a placeholder key stops the start.
 */
class TotpSecretsTests {

	private static final String KEY = "a random totp key of more than 32 characters";
	private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

	@TempDir
	Path dataDir;

	private TotpSecrets secrets(String key) throws IOException {
		Map<String, String> settings = new HashMap<>();
		if (key != null) {
			settings.put("videoforge.auth.totp-key", key);
		}
		return new TotpSecrets(LoginGuardTests.settings(settings), dataDir);
	}

	@Test
	void sealsAsV1NonceCiphertextTagUnderTheSha256OfTheKey() throws Exception {
		String stored = secrets(KEY).seal("user-1", SECRET);
		assertThat(stored).startsWith("v1:").doesNotContain(SECRET);
		byte[] data = Base64.getDecoder().decode(stored.substring(3));
		assertThat(data).hasSize(12 + SECRET.length() + 16);
		// Decrypted independently, as the class's Javadoc describes the format.
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		byte[] aesKey = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, data, 0, 12));
		cipher.updateAAD("user-1".getBytes(StandardCharsets.UTF_8));
		assertThat(new String(cipher.doFinal(data, 12, data.length - 12), StandardCharsets.US_ASCII)).isEqualTo(SECRET);
	}

	@Test
	void opensWhatItSealedAndSealsDifferentlyEachTime() throws IOException {
		TotpSecrets secrets = secrets(KEY);
		String first = secrets.seal("user-1", SECRET);
		String second = secrets.seal("user-1", SECRET);
		assertThat(first).as("a fresh nonce each time").isNotEqualTo(second);
		assertThat(secrets.open("user-1", first)).isEqualTo(SECRET);
		assertThat(secrets(KEY).open("user-1", second)).as("another process with the same key").isEqualTo(SECRET);
	}

	@Test
	void aWrongKeyDoesNotOpenAndSaysWhatToSetTheSame() throws IOException {
		String stored = secrets(KEY).seal("user-1", SECRET);
		assertThatThrownBy(() -> secrets("another random key of more than 32 characters").open("user-1", stored))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("videoforge.auth.totp-key");
	}

	@Test
	void aSecretCopiedToAnotherAccountOrChangedDoesNotOpen() throws IOException {
		TotpSecrets secrets = secrets(KEY);
		String stored = secrets.seal("user-1", SECRET);
		assertThatThrownBy(() -> secrets.open("user-2", stored)).isInstanceOf(IllegalStateException.class);
		byte[] data = Base64.getDecoder().decode(stored.substring(3));
		data[14] ^= 1;
		String changed = "v1:" + Base64.getEncoder().encodeToString(data);
		assertThatThrownBy(() -> secrets.open("user-1", changed)).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> secrets.open("user-1", "v1:not base64!")).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void aRowWrittenBeforeEncryptionIsReadAsItIs() throws IOException {
		assertThat(TotpSecrets.isSealed(SECRET)).isFalse();
		assertThat(secrets(KEY).open("user-1", SECRET)).isEqualTo(SECRET);
		assertThat(secrets(KEY).open("user-1", null)).isNull();
	}

	@Test
	void withoutAKeySettingAKeyFileIsMadeOnceAndKept() throws IOException {
		String stored = secrets(null).seal("user-1", SECRET);
		Path keyFile = dataDir.resolve("secrets").resolve("totp.key");
		assertThat(keyFile).exists();
		assertThat(secrets(null).open("user-1", stored)).as("the next start reads the same key").isEqualTo(SECRET);
		Files.delete(keyFile);
		assertThatThrownBy(() -> secrets(null).open("user-1", stored)).as("a new key").isInstanceOf(IllegalStateException.class);
	}

	@Test
	void refusesAShortKey() {
		assertThatThrownBy(() -> secrets("too short")).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("videoforge.auth.totp-key must be at least 32 characters");
	}

	/** The example key of old deploy files stops the start, through the registered start-up checks. */
	@Test
	void aPlaceholderKeyStopsTheStart() {
		List<EnvironmentPostProcessor> checks = SpringFactoriesLoader.forDefaultResourceLocation()
				// Others (Cloud Foundry's) need constructor arguments this test does not give: skipped, not failed.
				.load(EnvironmentPostProcessor.class, (type, name, failure) -> {
				}).stream()
				.filter(p -> p.getClass().getName().equals("dev.videoforge.shared.PlaceholderSecretsCheck")).toList();
		assertThat(checks).hasSize(1);
		for (String name : List.of("videoforge.auth.totp-key", "VIDEOFORGE_AUTH_TOTP_KEY")) {
			StandardEnvironment environment = new StandardEnvironment();
			environment.getPropertySources().addFirst(new MapPropertySource("test",
					Map.of(name, "change-me-to-32-or-more-random-characters")));
			assertThatThrownBy(() -> checks.get(0).postProcessEnvironment(environment, new SpringApplication()))
					.isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
		}
		StandardEnvironment real = new StandardEnvironment();
		real.getPropertySources().addFirst(new MapPropertySource("test", Map.of("videoforge.auth.totp-key", KEY)));
		checks.get(0).postProcessEnvironment(real, new SpringApplication());
	}
}
