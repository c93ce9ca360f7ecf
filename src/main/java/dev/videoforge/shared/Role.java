package dev.videoforge.shared;

import java.util.Locale;

/**
 * A process role ({@code videoforge.roles}): which entry points a process runs. Every module's code
 * is in every process; {@link OnRole} gates the controllers, workers and filters by role.
 */
public enum Role {

	/** The edge: tus, direct and multipart uploads, auth, webhooks endpoints, rate limits, the proxy. */
	GATEWAY,
	/** The catalogue's API: videos, posters, captions, admin figures. */
	GALLERY,
	/** Playlists, segments and downloads. */
	STREAMING,
	/** The job workers: transcodes, chunks, webhook deliveries. */
	PROCESSOR;

	/** The name in settings and logs: {@code gateway}, {@code gallery}, ... */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The role of a settings name (any case). */
	public static Role of(String key) {
		for (Role role : values()) {
			if (role.key().equalsIgnoreCase(key.strip())) {
				return role;
			}
		}
		throw new IllegalArgumentException("unknown role '" + key + "'");
	}

	@Override
	public String toString() {
		return key();
	}
}
