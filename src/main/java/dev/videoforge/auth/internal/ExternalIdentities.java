package dev.videoforge.auth.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.Ids;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Maps an external provider's (issuer, subject) to a local account, making the account on first use. */
@Repository
class ExternalIdentities {

	/** A bcrypt-shaped value no password matches: external accounts sign in only through their provider. */
	static final String NO_PASSWORD = "!external";

	private final JdbcClient jdbc;
	private final UserRepository users;

	ExternalIdentities(JdbcClient jdbc, UserRepository users) {
		this.jdbc = jdbc;
		this.users = users;
	}

	UserRepository.User resolve(String issuer, String subject, String preferredName) {
		Optional<String> known = jdbc.sql("SELECT user_id FROM external_identities WHERE issuer = ? AND subject = ?")
				.params(issuer, subject).query(String.class).optional();
		if (known.isPresent()) {
			return users.findById(known.get()).orElseThrow();
		}
		String base = usernameFrom(preferredName);
		for (int attempt = 0; attempt < 20; attempt++) {
			String name = attempt == 0 ? base : base.substring(0, Math.min(base.length(), 26)) + "-" + (attempt + 1);
			if (users.findByUsernameIgnoreCase(name).isPresent()) {
				continue;
			}
			try {
				return create(name, issuer, subject);
			}
			catch (DuplicateKeyException e) {
				// A concurrent first request of the same person, or the name was just taken: look again.
				var raced = jdbc.sql("SELECT user_id FROM external_identities WHERE issuer = ? AND subject = ?")
						.params(issuer, subject).query(String.class).optional();
				if (raced.isPresent()) {
					return users.findById(raced.get()).orElseThrow();
				}
			}
		}
		// Every likely name is taken (perhaps on purpose): a random one, never a refusal.
		return create("user-" + Ids.newId(), issuer, subject);
	}

	private UserRepository.User create(String name, String issuer, String subject) {
		var user = new UserRepository.User(Ids.newId(), name, NO_PASSWORD, List.of(CurrentUser.USER));
		users.insert(user);
		jdbc.sql("INSERT INTO external_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)")
				.params(issuer, subject, user.id(), OffsetDateTime.now(ZoneOffset.UTC)).update();
		return user;
	}

	/** A local username from the provider's: allowed characters only, 3–32 of them. */
	static String usernameFrom(String preferred) {
		String name = preferred == null ? "" : preferred.toLowerCase(Locale.ROOT);
		int at = name.indexOf('@');
		if (at > 0) {
			name = name.substring(0, at);
		}
		name = name.replaceAll("[^a-z0-9._-]", "-");
		if (name.length() < 3) {
			name = "user-" + name;
		}
		return name.length() > 32 ? name.substring(0, 32) : name;
	}
}
