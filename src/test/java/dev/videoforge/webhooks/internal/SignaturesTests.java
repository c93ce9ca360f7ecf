package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The server's signatures against the Standard Webhooks reference library's, and its secrets' form. */
class SignaturesTests {

	@Test
	void signsExactlyAsTheReferenceLibrary() throws Exception {
		String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		String body = "{\"type\":\"video.ready\",\"data\":{\"title\":\"ünïcödé ✓\"}}";
		assertThat(Signatures.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body))
				.isEqualTo(new Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
		assertThat(Signatures.sign(secret, "msg_a", 1L, body)).isNotEqualTo(Signatures.sign(secret, "msg_b", 1L, body));
	}

	@Test
	void secretsAreWhsecAnd24RandomBytes() {
		String one = Signatures.newSecret();
		String two = Signatures.newSecret();
		assertThat(one).startsWith("whsec_").isNotEqualTo(two);
		assertThat(Base64.getDecoder().decode(one.substring(6))).hasSize(24);
	}
}
