package dev.videoforge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port with embedded defaults and its own data directory.
 * Every subclass shares one running application (same configuration, one cached context).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"videoforge.queue.poll-interval=200ms", "videoforge.upload.max-size=300MB",
		"videoforge.catalog.event-poll-interval=200ms", "videoforge.catalog.event-heartbeat=1s", "videoforge.auth.admin-username=admin", "videoforge.auth.refresh-reuse-grace=1s",
		// Tests sign up and log in far more often than people do; RateLimitIntegrationTests checks the limits.
		"videoforge.rate-limit.login-per-minute=100000", "videoforge.rate-limit.mfa-per-minute=100000",
		"videoforge.rate-limit.account-per-minute=100000", "videoforge.rate-limit.register-per-hour=100000", "logging.level.dev.videoforge=INFO",
		"videoforge.gateway.cors.allowed-origins=https://app.example.com",
		// ./videoforge installs bubblewrap: the suite insists on the media sandbox rather than skip its checks.
		"videoforge.media.sandbox=required" })
public abstract class AppIntegrationTest {

	public static final Path DATA;

	static {
		try {
			DATA = Files.createTempDirectory("videoforge-it-");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) {
		registry.add("videoforge.data-dir", DATA::toString);
	}

	@Value("${local.server.port}")
	protected int port;

	protected ApiClient anonymous() {
		return new ApiClient("http://127.0.0.1:" + port);
	}

	/** A fresh account with a unique name, signed in. */
	protected ApiClient newUser(String prefix) throws IOException, InterruptedException {
		String name = prefix + Long.toString(System.nanoTime() % 100_000_000L, 36);
		return anonymous().signUp(name, "correct horse battery");
	}
}
