package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.shared.Secrets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * TOTP secrets at rest (ASVS 6.4): AES-256-GCM with a random 96-bit nonce, the account id as
 * associated data (a secret copied onto another account's row does not open), stored as
 * {@code v1:Base64(nonce | ciphertext | tag)}. A copy of the database alone gives nobody the codes.
 */
@Component
class TotpSecrets {

	static final String PREFIX = "v1:";
	private static final int NONCE_BYTES = 12;
	private static final int TAG_BITS = 128;
	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKey key;

	TotpSecrets(AuthSettings settings, @Value("${videoforge.data-dir}") Path dataDir) throws IOException {
		this.key = new SecretKeySpec(keyBytes(settings, dataDir), "AES");
	}

	private static byte[] keyBytes(AuthSettings settings, Path dataDir) throws IOException {
		if (settings.totpKey() != null && !settings.totpKey().isBlank()) {
			if (settings.totpKey().length() < 32) {
				throw new IllegalStateException("videoforge.auth.totp-key must be at least 32 characters");
			}
			try {
				// Any string of enough entropy: its SHA-256 is the 256-bit AES key.
				return MessageDigest.getInstance("SHA-256").digest(settings.totpKey().getBytes(StandardCharsets.UTF_8));
			}
			catch (GeneralSecurityException e) {
				throw new IllegalStateException(e);
			}
		}
		return Secrets.loadOrCreate(dataDir.resolve("secrets").resolve("totp.key"), 32);
	}

	static boolean isSealed(String stored) {
		return stored != null && stored.startsWith(PREFIX);
	}

	String seal(String userId, String secret) {
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			RANDOM.nextBytes(nonce);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
			return PREFIX + Base64.getEncoder()
					.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("cannot encrypt a TOTP secret", e);
		}
	}

	/** The secret; a row written before encryption (no prefix) is read as it is, until it is migrated. */
	String open(String userId, String stored) {
		if (stored == null || !isSealed(stored)) {
			return stored;
		}
		try {
			byte[] data = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
			cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.US_ASCII);
		}
		catch (GeneralSecurityException | IllegalArgumentException e) {
			throw new IllegalStateException("a TOTP secret cannot be decrypted: every process serving /api/auth needs the "
					+ "same videoforge.auth.totp-key (or the same <data-dir>/secrets/totp.key)", e);
		}
	}
}
