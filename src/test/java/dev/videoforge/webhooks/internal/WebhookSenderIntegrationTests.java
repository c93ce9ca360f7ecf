package dev.videoforge.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.standardwebhooks.Webhook;
import dev.videoforge.webhooks.WebhookSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * One attempt against a real HTTP server on 127.0.0.1: what is sent (signed so that the Standard
 * Webhooks reference library verifies it), and what is refused or cut short: a private address
 * when they are not allowed (no connection at all), a redirect (not followed), a slow answer
 * (given up after the timeouts).
 */
class WebhookSenderIntegrationTests {

	private static WebhookSettings settings(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("videoforge.webhooks", WebhookSettings.class);
	}

	private static final String BODY = "{\"type\":\"video.ready\",\"createdAt\":\"2026-12-05T06:00:00Z\",\"data\":{\"id\":\"x\"}}";

	@Test
	void refusesLoopbackAtSendTimeWithoutConnecting() throws Exception {
		try (Receiver receiver = new Receiver()) {
			WebhookSender sender = new WebhookSender(settings(Map.of()));
			WebhookSender.Result result = sender.send(receiver.url("/hook"), Signatures.newSecret(), "msg_0123456789abcdef", BODY);
			assertThat(result.delivered()).isFalse();
			assertThat(result.statusCode()).isNull();
			assertThat(result.error()).contains("not sent").contains("loopback");
			assertThat(receiver.connections.get()).isZero();
		}
	}

	@Test
	void sendsABodySignedAsStandardWebhooksSays() throws Exception {
		try (Receiver receiver = new Receiver()) {
			String secret = Signatures.newSecret();
			WebhookSender sender = new WebhookSender(settings(Map.of("videoforge.webhooks.allow-private-addresses", "true")));
			WebhookSender.Result result = sender.send(receiver.url("/ok"), secret, "msg_0123456789abcdef", BODY);
			assertThat(result.delivered()).as(String.valueOf(result)).isTrue();
			assertThat(result.statusCode()).isEqualTo(200);
			List<Receiver.Received> received = receiver.received(r -> true);
			assertThat(received).hasSize(1);
			Receiver.Received request = received.get(0);
			assertThat(request.body()).isEqualTo(BODY);
			assertThat(request.header("webhook-id")).isEqualTo("msg_0123456789abcdef");
			assertThat(request.header("content-type")).startsWith("application/json");
			assertThatCode(() -> new Webhook(secret).verify(request.body(), request.headers())).doesNotThrowAnyException();
			// The same request with the body changed by one character does not verify.
			assertThatCode(() -> new Webhook(secret).verify(request.body().replace("ready", "reedy"), request.headers()))
					.isInstanceOf(Exception.class);
		}
	}

	/**
	 * DNS rebinding: the connection goes to the addresses that were checked, never to a second
	 * lookup of the name. The name here resolves nowhere ({@code .test} is reserved, RFC 2606), yet
	 * the request arrives, with the name in its Host header.
	 */
	@Test
	void connectsToTheCheckedAddressWithoutLookingTheNameUpAgain() throws Exception {
		try (Receiver receiver = new Receiver()) {
			WebhookSender sender = new WebhookSender(settings(Map.of("videoforge.webhooks.allow-private-addresses", "true")));
			var target = new AddressGuard.Target(java.net.URI.create("http://receiver.webhooks.test:" + receiver.port() + "/pinned"),
					"receiver.webhooks.test", new java.net.InetAddress[] { java.net.InetAddress.getLoopbackAddress() });
			WebhookSender.Result result = sender.sendTo(target, Signatures.newSecret(), "msg_0123456789abcdef", BODY);
			assertThat(result.delivered()).as(String.valueOf(result)).isTrue();
			List<Receiver.Received> received = receiver.received(r -> r.path().equals("/pinned"));
			assertThat(received).hasSize(1);
			assertThat(received.get(0).header("host")).isEqualTo("receiver.webhooks.test:" + receiver.port());
		}
	}

	@Test
	void doesNotFollowRedirects() throws Exception {
		try (Receiver receiver = new Receiver()) {
			receiver.redirect("/moved", receiver.url("/elsewhere"));
			WebhookSender sender = new WebhookSender(settings(Map.of("videoforge.webhooks.allow-private-addresses", "true")));
			WebhookSender.Result result = sender.send(receiver.url("/moved"), Signatures.newSecret(), "msg_0123456789abcdef", BODY);
			assertThat(result.delivered()).isFalse();
			assertThat(result.statusCode()).isEqualTo(302);
			assertThat(result.error()).contains("redirects are not followed");
			assertThat(receiver.received(r -> r.path().equals("/elsewhere"))).isEmpty();
			assertThat(receiver.received(r -> r.path().equals("/moved"))).hasSize(1);
		}
	}

	@Test
	void givesUpOnAnAnswerSlowerThanTheReadTimeout() throws Exception {
		try (Receiver receiver = new Receiver()) {
			receiver.delay("/slow", Duration.ofSeconds(4));
			WebhookSender sender = new WebhookSender(settings(Map.of("videoforge.webhooks.allow-private-addresses", "true",
					"videoforge.webhooks.read-timeout", "1s", "videoforge.webhooks.connect-timeout", "1s")));
			long started = System.nanoTime();
			WebhookSender.Result result = sender.send(receiver.url("/slow"), Signatures.newSecret(), "msg_0123456789abcdef", BODY);
			double seconds = (System.nanoTime() - started) / 1e9;
			assertThat(result.delivered()).isFalse();
			assertThat(result.statusCode()).isNull();
			assertThat(seconds).as("seconds until the attempt ended").isLessThan(3.5);
			// It arrived; its answer did not come in time.
			assertThat(receiver.received(r -> r.path().equals("/slow"))).hasSize(1);
		}
	}
}
