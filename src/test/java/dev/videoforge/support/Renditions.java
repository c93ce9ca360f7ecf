package dev.videoforge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** What a crash must not leave behind: a video's stored files, checked as one set that plays. */
public final class Renditions {

	private Renditions() {
	}

	/**
	 * Every rung decodes through the server, and the files stored for the video are exactly the
	 * ones its playlists name (plus poster and storyboard): nothing half-written, no second set.
	 */
	public static void assertOneSetThatPlays(ApiClient owner, Path data, String id) throws Exception {
		Path renditions = data.resolve("blobs/renditions").resolve(id);
		Set<String> referenced = new HashSet<>(Set.of("master.m3u8", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt"));
		JsonNode qualities = ApiClient.json(owner.get("/api/stream/" + id + "/qualities")).path("qualities");
		assertThat(qualities.size()).as("qualities of %s", id).isPositive();
		for (JsonNode quality : qualities) {
			String name = quality.path("name").asString();
			referenced.add(name + "/index.m3u8");
			for (String line : Files.readAllLines(renditions.resolve(name).resolve("index.m3u8"))) {
				if (line.startsWith("#EXT-X-MAP:URI=\"")) {
					referenced.add(name + "/" + line.substring(16, line.length() - 1));
				}
				else if (!line.startsWith("#") && !line.isBlank()) {
					referenced.add(name + "/" + line);
				}
			}
			Media.Run decode = Media.decodeAll(owner.base() + quality.path("url").asString());
			assertThat(decode.exitCode()).as("%s %s: %s", id, name, decode.stderr()).isZero();
		}
		try (Stream<Path> files = Files.walk(renditions)) {
			Set<String> stored = new HashSet<>(
					files.filter(Files::isRegularFile).map(p -> renditions.relativize(p).toString()).toList());
			assertThat(stored).as("the files of %s are one set, every one named by its playlists", id).isEqualTo(referenced);
		}
	}
}
