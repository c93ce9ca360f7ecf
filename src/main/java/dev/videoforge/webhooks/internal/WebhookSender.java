package dev.videoforge.webhooks.internal;

import dev.videoforge.shared.Refusal;
import dev.videoforge.webhooks.WebhookSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one attempt of a delivery. Apache HttpClient 5 does the HTTP (TLS with host name
 * verification, SNI and Host from the URL); this class decides where it may connect: the URL is
 * checked by {@link AddressGuard} just before the attempt, and the client's {@link DnsResolver}
 * hands it exactly the addresses that were checked, so it never resolves the name again. No
 * redirect is followed (a 3xx is a failed attempt: following one would let an endpoint send us
 * anywhere), no proxy from the environment is used, no automatic retries, no cookies. The
 * connection must open within the connect timeout and the answer start within the read timeout;
 * the whole attempt is cancelled after both, so a slow trickle cannot hold a worker. At most
 * {@code maxResponseBytes} of the answer are read, for the log.
 */
class WebhookSender {

	/** How an attempt ended: a status code, or none and why. */
	record Result(Integer statusCode, String error) {

		boolean delivered() {
			return statusCode != null && statusCode >= 200 && statusCode < 300;
		}
	}

	private final WebhookSettings settings;
	private final AddressGuard guard;
	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "webhook-deadlines");
		t.setDaemon(true);
		return t;
	});

	WebhookSender(WebhookSettings settings) {
		this.settings = settings;
		this.guard = new AddressGuard(settings.allowPrivateAddresses(), settings.maxUrlLength());
	}

	AddressGuard guard() {
		return guard;
	}

	Result send(String url, String secret, String webhookId, String body) {
		AddressGuard.Target target;
		try {
			target = guard.check(url);
		}
		catch (Refusal refused) {
			return new Result(null, "not sent: " + refused.getMessage());
		}
		return sendTo(target, secret, webhookId, body);
	}

	/** One attempt to a checked target: the connection goes to its addresses, nowhere else. */
	Result sendTo(AddressGuard.Target target, String secret, String webhookId, String body) {
		long timestamp = Instant.now().getEpochSecond();
		HttpPost post = new HttpPost(target.uri());
		post.setHeader("webhook-id", webhookId);
		post.setHeader("webhook-timestamp", Long.toString(timestamp));
		post.setHeader("webhook-signature", Signatures.sign(secret, webhookId, timestamp, body));
		post.setHeader("User-Agent", "VideoForge-Webhooks/1");
		post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
		long limit = settings.connectTimeout().toMillis() + settings.readTimeout().toMillis();
		AtomicBoolean timedOut = new AtomicBoolean();
		ScheduledFuture<?> deadline = deadlines.schedule(() -> {
			timedOut.set(true);
			post.cancel();
		}, limit, TimeUnit.MILLISECONDS);
		CloseableHttpClient client = client(target);
		ClassicHttpResponse response = null;
		Result result;
		try {
			response = client.executeOpen(null, post, null);
			int code = response.getCode();
			String answer = head(response.getEntity());
			if (code >= 300 && code < 400) {
				result = new Result(code, "HTTP " + code + ": redirects are not followed");
			}
			else {
				result = new Result(code, code >= 200 && code < 300 ? null : "HTTP " + code + (answer.isEmpty() ? "" : ": " + answer));
			}
		}
		catch (IOException | RuntimeException e) {
			result = new Result(null, timedOut.get() ? "no answer within " + limit / 1000 + " s"
					: e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
		}
		finally {
			deadline.cancel(false);
			// Drops the connection, so that closing never reads the rest of a long answer.
			post.cancel();
			closeQuietly(response);
			closeQuietly(client);
		}
		return result;
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception e) {
				// The attempt's result is known; the connection is gone either way.
			}
		}
	}

	/** A client for one attempt, that can only connect to the addresses the guard checked. */
	private CloseableHttpClient client(AddressGuard.Target target) {
		DnsResolver pinned = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				if (!bare(host).equals(bare(target.host()))) {
					throw new UnknownHostException(host + " is not the endpoint's host");
				}
				return target.addresses().clone();
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}
		};
		Timeout connect = Timeout.of(settings.connectTimeout());
		Timeout read = Timeout.of(settings.readTimeout());
		return HttpClients.custom()
				.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(pinned)
						.setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
						.setMaxConnTotal(1).build())
				.setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false).setResponseTimeout(read)
						.setConnectionRequestTimeout(connect).build())
				.disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
				.disableConnectionState().build();
	}

	private static String bare(String host) {
		String h = host.toLowerCase(Locale.ROOT);
		return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
	}

	/** The start of the answer, for the log: at most maxResponseBytes, one line, printable. */
	private String head(HttpEntity entity) throws IOException {
		if (entity == null) {
			return "";
		}
		// Not closed here: closing an entity's stream reads it to its end (send() drops the connection instead).
		InputStream in = entity.getContent();
		byte[] bytes = in.readNBytes(settings.maxResponseBytes());
		String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").strip();
		return text.length() > 300 ? text.substring(0, 300) + "…" : text;
	}
}
