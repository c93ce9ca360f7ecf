package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTests {

	/** RFC 6238 Appendix B, SHA-1 rows (seed "12345678901234567890"), 8-digit codes. */
	@ParameterizedTest
	@CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
			"2000000000, 69279037", "20000000000, 65353130" })
	void matchesTheRfc6238TestVectors(long time, String expected) {
		byte[] seed = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
		assertThat(Totp.code(seed, Totp.step(time), 8)).isEqualTo(expected);
		// The 6-digit code an authenticator shows is the same number's last six digits.
		assertThat(Totp.code(seed, Totp.step(time), 6)).isEqualTo(expected.substring(2));
	}

	@Test
	void acceptsOneStepOfClockDriftEitherWayAndNoMore() {
		String secret = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
		assertThat(secret).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
		long t = 1111111111;
		byte[] key = Totp.decodeBase32(secret);
		String now = Totp.code(key, Totp.step(t), 6);
		assertThat(Totp.matchingStep(secret, now, t)).isEqualTo(Totp.step(t));
		assertThat(Totp.matchingStep(secret, now, t + 30)).isEqualTo(Totp.step(t));
		assertThat(Totp.matchingStep(secret, now, t - 30)).isEqualTo(Totp.step(t));
		assertThat(Totp.matchingStep(secret, now, t + 90)).isEqualTo(-1);
		assertThat(Totp.matchingStep(secret, "12345", t)).isEqualTo(-1);
		assertThat(Totp.matchingStep(secret, "abcdef", t)).isEqualTo(-1);
	}
}
