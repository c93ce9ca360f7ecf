package dev.videoforge.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Unfinished uploads in {@code uploads.json}, keyed by server, absolute path, size and
 * modification time: the same command on the same unchanged file finds its upload URL again; a
 * changed file starts a new upload.
 */
final class ResumeStore {

	static final String FILE = "uploads.json";

	/** Servers drop unfinished uploads after a day without bytes (API.md); older entries are noise. */
	private static final Duration KEEP = Duration.ofDays(7);

	private final ConfigDir config;

	ResumeStore(ConfigDir config) {
		this.config = config;
	}

	static String key(String server, LocalFile file) {
		return server + " " + file.path() + " " + file.size() + " " + file.modifiedMillis();
	}

	/** The remembered upload URL, or null. */
	String get(String key) {
		return Json.text(config.read(FILE).path("uploads").path(key), "url");
	}

	void remember(String key, String url, LocalFile file) {
		config.update(FILE, root -> {
			ObjectNode uploads = uploads(root);
			Instant now = Instant.now();
			List<String> old = new ArrayList<>();
			for (Map.Entry<String, JsonNode> entry : uploads.properties()) {
				String created = Json.text(entry.getValue(), "createdAt");
				if (created == null || Instant.parse(created).isBefore(now.minus(KEEP))) {
					old.add(entry.getKey());
				}
			}
			uploads.remove(old);
			ObjectNode entry = uploads.putObject(key);
			entry.put("url", url);
			entry.put("file", file.path().toString());
			entry.put("size", file.size());
			entry.put("createdAt", now.toString());
		});
	}

	void forget(String key) {
		config.update(FILE, root -> uploads(root).remove(key));
	}

	/** Forgets every remembered upload whose URL ends with this video id (the video was deleted). */
	void forgetVideo(String server, String videoId) {
		if (!java.nio.file.Files.exists(config.path(FILE))) {
			return;
		}
		config.update(FILE, root -> {
			ObjectNode uploads = uploads(root);
			List<String> gone = new ArrayList<>();
			for (Map.Entry<String, JsonNode> entry : uploads.properties()) {
				String url = Json.text(entry.getValue(), "url");
				if (entry.getKey().startsWith(server + " ") && url != null && url.endsWith("/" + videoId)) {
					gone.add(entry.getKey());
				}
			}
			uploads.remove(gone);
		});
	}

	private static ObjectNode uploads(ObjectNode root) {
		return root.get("uploads") instanceof ObjectNode uploads ? uploads : root.putObject("uploads");
	}
}
