package dev.videoforge.support;

import java.io.IOException;
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
		"videoforge.catalog.event-poll-interval=200ms", "videoforge.catalog.event-heartbeat=1s", "videoforge.auth.setup-token=" + AppIntegrationTest.SETUP_TOKEN, "videoforge.auth.refresh-reuse-grace=3s",
		// Tests sign up and log in far more often than people do; RateLimitIntegrationTests checks the limits.
		"videoforge.rate-limit.login-per-minute=100000", "videoforge.rate-limit.mfa-per-minute=100000",
		"videoforge.rate-limit.account-per-minute=100000", "videoforge.rate-limit.register-per-hour=100000",
		// Every test of a fork calls this one application from 127.0.0.1, polling as it waits.
		"videoforge.rate-limit.api-per-minute=100000", "logging.level.dev.videoforge=INFO",
		"videoforge.gateway.cors.allowed-origins=https://app.example.com",
		// ./videoforge installs bubblewrap: the suite insists on the media sandbox rather than skip its checks.
		"videoforge.media.sandbox=required",
		// The My videos page test keeps 50 unfinished uploads of one account; AccountLimitsIntegrationTests checks the limit.
		"videoforge.upload.max-open-uploads=100" })
public abstract class AppIntegrationTest {

	/** The shared application's one-time setup token: {@link #admin()} uses it. */
	public static final String SETUP_TOKEN = "it-setup-token-5f0c2a7e9b";

	/** The administrator's name and password in the shared application. */
	public static final String ADMIN = "admin";
	public static final String ADMIN_PASSWORD = "correct horse battery";

	/**
	 * Called once for each application the tests start (a subclass with properties of its own
	 * gets an application of its own): each gets a data folder of its own, never another's H2 file.
	 */
	@DynamicPropertySource
	static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
		Path data = Files.createTempDirectory("videoforge-it-");
		registry.add("videoforge.data-dir", data::toString);
	}

	/** This application's data folder. */
	@Value("${videoforge.data-dir}")
	protected Path data;

	@Value("${local.server.port}")
	protected int port;

	protected ApiClient anonymous() {
		return new ApiClient("http://127.0.0.1:" + port);
	}

	/**
	 * The administrator, signed in: the first call registers it with the setup token (the way an
	 * install gets its administrator), later ones log in.
	 */
	protected ApiClient admin() throws IOException, InterruptedException {
		return anonymous().signUp(ADMIN, ADMIN_PASSWORD, SETUP_TOKEN);
	}

	/** A fresh account with a unique name, signed in. */
	protected ApiClient newUser(String prefix) throws IOException, InterruptedException {
		String name = prefix + Long.toString(System.nanoTime() % 100_000_000L, 36);
		return anonymous().signUp(name, "correct horse battery");
	}
}
