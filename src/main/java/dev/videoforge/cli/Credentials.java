package dev.videoforge.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions per server in {@code credentials.json} (0600):
 * {@code {"servers": {"<url>": {username, userId, accessToken, accessTokenExpiresAt, refreshToken}}}}.
 */
final class Credentials {

	static final String FILE = "credentials.json";

	/** Refresh this long before the access token expires, so a request does not race its expiry. */
	private static final Duration MARGIN = Duration.ofSeconds(30);

	record Session(String username, String userId, String accessToken, Instant accessTokenExpiresAt,
			String refreshToken) {

		boolean expiresSoon(Instant now) {
			return accessTokenExpiresAt == null || now.plus(MARGIN).isAfter(accessTokenExpiresAt);
		}

		Session withTokens(String accessToken, Instant expiresAt, String refreshToken) {
			return new Session(username, userId, accessToken, expiresAt, refreshToken);
		}
	}

	private final ConfigDir config;

	Credentials(ConfigDir config) {
		this.config = config;
	}

	ConfigDir config() {
		return config;
	}

	Optional<Session> get(String server) {
		JsonNode entry = config.read(FILE).path("servers").path(server);
		if (!entry.isObject() || Json.text(entry, "accessToken") == null) {
			return Optional.empty();
		}
		String expires = Json.text(entry, "accessTokenExpiresAt");
		return Optional.of(new Session(Json.text(entry, "username"), Json.text(entry, "userId"),
				Json.text(entry, "accessToken"), expires == null ? null : Instant.parse(expires),
				Json.text(entry, "refreshToken")));
	}

	void put(String server, Session session) {
		config.update(FILE, root -> {
			ObjectNode servers = root.path("servers").isObject() ? (ObjectNode) root.get("servers") : root.putObject("servers");
			ObjectNode entry = servers.putObject(server);
			entry.put("username", session.username());
			entry.put("userId", session.userId());
			entry.put("accessToken", session.accessToken());
			entry.put("accessTokenExpiresAt",
					session.accessTokenExpiresAt() == null ? null : session.accessTokenExpiresAt().toString());
			entry.put("refreshToken", session.refreshToken());
		});
	}

	void remove(String server) {
		config.update(FILE, root -> {
			if (root.get("servers") instanceof ObjectNode servers) {
				servers.remove(server);
			}
		});
	}
}
