package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.shared.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The first administrator comes from a one-time setup token, never from registering first (Jenkins'
 * {@code initialAdminPassword} is the model). While the install has no administrator, the token is
 * {@code videoforge.auth.setup-token} or, without that setting, a random one written to
 * {@code <data-dir>/secrets/setup-token} at start, whose place is logged. Claiming it inserts the one
 * row of {@code setup_claims} in the registration's transaction: of two racing sign-ups with the
 * token, the database lets exactly one become administrator.
 */
@Component
class FirstAdministrator {

	private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);
	static final String CLAIM = "first-admin";

	private final JdbcClient jdbc;
	private final UserRepository users;
	private final AuthSettings settings;
	private final Path tokenFile;

	FirstAdministrator(JdbcClient jdbc, UserRepository users, AuthSettings settings,
			@Value("${videoforge.data-dir}") Path dataDir) {
		this.jdbc = jdbc;
		this.users = users;
		this.settings = settings;
		this.tokenFile = dataDir.resolve("secrets").resolve("setup-token");
	}

	/** True while nobody has become administrator: the sign-up page then asks for the token. */
	boolean pending() {
		return jdbc.sql("SELECT COUNT(*) FROM setup_claims WHERE id = ?").param(CLAIM).query(Long.class).single() == 0
				&& !users.anyAdministrator();
	}

	/** At start: writes the token and says where it is, or removes a used one. */
	void prepare() throws IOException {
		if (!pending()) {
			if (Files.deleteIfExists(tokenFile)) {
				log.info("an administrator exists: removed the used setup token {}", tokenFile.toAbsolutePath());
			}
			return;
		}
		if (configured()) {
			log.warn("No administrator yet: register on the sign-up page (/signup) with the setup token of "
					+ "videoforge.auth.setup-token to create it.");
			return;
		}
		Secrets.loadOrCreateText(tokenFile, 24, Base64.getUrlEncoder().withoutPadding());
		log.warn("No administrator yet. The one-time setup token is in {} : enter it on the sign-up page (/signup) "
				+ "to create the administrator account.", tokenFile.toAbsolutePath().normalize());
	}

	private boolean configured() {
		return settings.setupToken() != null && !settings.setupToken().isBlank();
	}

	/** Whether {@code candidate} is this install's unused setup token (compared in constant time). */
	boolean matches(String candidate) {
		String expected;
		if (configured()) {
			expected = settings.setupToken().trim();
		}
		else {
			try {
				if (!Files.exists(tokenFile)) {
					return false;
				}
				expected = Files.readString(tokenFile).trim();
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return !expected.isEmpty() && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				candidate.trim().getBytes(StandardCharsets.UTF_8)) && pending();
	}

	/**
	 * Takes the one claim for {@code userId}; false when someone else took it first. Call inside the
	 * transaction that creates the account, so a failed registration leaves the token unused.
	 */
	boolean claim(String userId) {
		try {
			return jdbc.sql("INSERT INTO setup_claims (id, user_id, claimed_at) VALUES (?, ?, ?)")
					.params(CLAIM, userId, OffsetDateTime.now(ZoneOffset.UTC)).update() == 1;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	/** After the claiming transaction committed: the token file goes. */
	void claimed(String username) {
		try {
			Files.deleteIfExists(tokenFile);
		}
		catch (IOException e) {
			log.warn("could not delete the used setup token {}: {}", tokenFile, e.toString());
		}
		log.info("administrator account '{}' created with the setup token; the token is void", username);
	}
}
