package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The streaming role's microcache of PUBLIC playlists and media files ({@link AnswerCache}), kept an hour here
 * (and playlists may be kept an hour: never longer than their max-age) so that nothing expires
 * while a test looks. A change written straight to the database stands for
 * a change made by another process of the fleet (no event reaches this one): the kept answer goes
 * on being served, which is how a hit is told from a miss. A change made through the API drops it
 * at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.streaming.answer-cache=1h",
				"videoforge.streaming.playlist-max-age=1h" })
class AnswerCacheIntegrationTests {

	static Path data;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		data = Files.createTempDirectory("videoforge-answer-cache-");
		registry.add("videoforge.data-dir", data::toString);
	}

	@Value("${local.server.port}")
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AnswerCache cache;

	ApiClient anonymous;
	ApiClient owner;
	ApiClient stranger;

	@BeforeEach
	void accounts() throws Exception {
		if (owner == null) {
			anonymous = new ApiClient("http://127.0.0.1:" + port);
			owner = anonymous.signUp("owner", "correct horse battery");
			stranger = anonymous.signUp("stranger", "correct horse battery");
		}
		cache.dropAll();
	}

	private String readyVideo(String visibility) throws Exception {
		String id = owner.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "cached", visibility, 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		return id;
	}

	/** A variant playlist's path, as the qualities answer gives it (signed when the video is not PUBLIC). */
	private String variant(String id) throws Exception {
		String url = ApiClient.json(owner.get("/api/stream/" + id + "/qualities")).path("qualities").get(0).path("url").asString();
		return url.substring(url.indexOf("/api/stream/"));
	}

	private static byte[] cue(String words) {
		return ("WEBVTT\n\n00:00:00.000 --> 00:00:00.050\n" + words + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/** Changes the row as another process would: no event reaches this one. */
	private void elsewhere(String sql, String id) {
		assertThat(jdbc.sql(sql).param(id).update()).isEqualTo(1);
	}

	private static Map<String, List<String>> headers(HttpResponse<?> response) {
		Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
		headers.remove("x-request-id");
		headers.remove("date");
		headers.remove("age"); // on a hit a second or more after the answer was made
		return headers;
	}

	@Test
	void aPublicPlaylistIsAnsweredFromTheCacheWithTheSameHeadersUntilTheOwnerChangesTheVideo() throws Exception {
		String id = readyVideo("PUBLIC");
		String playlist = variant(id);
		HttpResponse<String> first = anonymous.get(playlist);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");

		elsewhere("UPDATE videos SET visibility = 'PRIVATE' WHERE id = ?", id);
		HttpResponse<String> kept = anonymous.get(playlist);
		assertThat(kept.statusCode()).as("kept: the change was not seen by this process").isEqualTo(200);
		assertThat(kept.body()).isEqualTo(first.body());
		assertThat(headers(kept)).isEqualTo(headers(first));
		assertThat(kept.headers().firstValue("X-Request-Id")).isPresent().isNotEqualTo(first.headers().firstValue("X-Request-Id"));

		String etag = first.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> notModified = anonymous.get(playlist, "If-None-Match", etag);
		assertThat(notModified.statusCode()).isEqualTo(304);
		assertThat(notModified.body()).isEmpty();
		assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
		HttpResponse<String> head = anonymous.raw(anonymous.request(playlist).method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(first.body().length()));
		assertThat(head.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));

		// A request with credentials is never answered from the cache: it sees the video as it is.
		assertThat(stranger.get(playlist).statusCode()).as("someone else's PRIVATE video").isEqualTo(404);

		// The owner's edit through the API drops the kept answers of this process at once.
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("visibility", "PRIVATE")).statusCode()).isEqualTo(200);
		assertThat(anonymous.get(playlist).statusCode()).isEqualTo(404);
	}

	@Test
	void aPublicSegmentIsSentByItsKeptAnswerAndARangeOrAMissingFileTakesTheWholePath() throws Exception {
		Path clip = Media.testClip(data.resolve("clip.mp4"), "1280x720", 9);
		String id = owner.tusUpload(clip, "segments", "PUBLIC", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		String playlist = variant(id);
		List<String> files = anonymous.get(playlist).body().lines().filter(l -> l.endsWith(".m4s")).toList();
		assertThat(files).as("segments of %s", playlist).hasSizeGreaterThanOrEqualTo(2);
		String segment = playlist.replace("index.m3u8", files.get(0));
		String other = playlist.replace("index.m3u8", files.get(1));

		HttpResponse<byte[]> first = anonymous.getBytes(segment);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body().length).as("large enough to go out by sendfile").isGreaterThanOrEqualTo(48 * 1024);
		assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=").endsWith(", immutable");
		assertThat(anonymous.getBytes(other).statusCode()).isEqualTo(200);

		elsewhere("UPDATE videos SET visibility = 'PRIVATE' WHERE id = ?", id);
		HttpResponse<byte[]> kept = anonymous.getBytes(segment);
		assertThat(kept.statusCode()).as("kept: the change was not seen by this process").isEqualTo(200);
		assertThat(kept.body()).isEqualTo(first.body());
		assertThat(headers(kept)).isEqualTo(headers(first));
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(anonymous.getBytes(segment, "If-None-Match", etag).statusCode()).isEqualTo(304);
		HttpResponse<String> head = anonymous.raw(anonymous.request(segment).method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(first.body().length));
		// A range is never answered from the cache: the request path sees the video as it is.
		assertThat(anonymous.getBytes(segment, "Range", "bytes=0-99").statusCode()).isEqualTo(404);

		// A file removed meanwhile (by another process) is not handed to sendfile: the request path answers.
		elsewhere("UPDATE videos SET visibility = 'PUBLIC' WHERE id = ?", id);
		Files.delete(data.resolve("blobs/renditions/" + id).resolve(segment.substring(segment.indexOf(id) + id.length() + 1)));
		assertThat(anonymous.getBytes(segment).statusCode()).isEqualTo(404);
		assertThat(anonymous.raw(anonymous.request(segment).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode())
				.isEqualTo(404);
		assertThat(anonymous.getBytes(segment, "If-None-Match", etag).statusCode()).isEqualTo(404);

		// The owner's edit drops what was kept.
		elsewhere("UPDATE videos SET visibility = 'PRIVATE' WHERE id = ?", id);
		assertThat(anonymous.getBytes(other).statusCode()).as("kept").isEqualTo(200);
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("title", "renamed")).statusCode()).isEqualTo(200);
		assertThat(anonymous.getBytes(other).statusCode()).isEqualTo(404);

		// A file written again meanwhile (a transcode's retry in another process) is not sent by the
		// kept answer, whose length would no longer be the file's.
		elsewhere("UPDATE videos SET visibility = 'PUBLIC' WHERE id = ?", id);
		assertThat(anonymous.getBytes(other).statusCode()).isEqualTo(200);
		elsewhere("UPDATE videos SET visibility = 'PRIVATE' WHERE id = ?", id);
		assertThat(anonymous.getBytes(other).statusCode()).as("kept").isEqualTo(200);
		Path otherFile = data.resolve("blobs/renditions/" + id).resolve(other.substring(other.indexOf(id) + id.length() + 1));
		byte[] bytes = Files.readAllBytes(otherFile);
		Files.write(otherFile, java.util.Arrays.copyOf(bytes, bytes.length - 1));
		assertThat(anonymous.getBytes(other).statusCode()).isEqualTo(404);
	}

	@Test
	void mastersSignedPlaylistsAndCaptionTracksAreNeverKept() throws Exception {
		String id = readyVideo("PUBLIC");
		// The master says no-cache (it lists caption tracks, which change): read every time.
		assertThat(anonymous.get("/api/stream/" + id + "/master.m3u8").statusCode()).isEqualTo(200);
		elsewhere("UPDATE videos SET visibility = 'PRIVATE' WHERE id = ?", id);
		assertThat(anonymous.get("/api/stream/" + id + "/master.m3u8").statusCode()).isEqualTo(404);

		// A signed playlist is private: never kept, so voiding its signature stops it at once.
		String unlisted = readyVideo("UNLISTED");
		String signed = variant(unlisted);
		assertThat(signed).contains("sig=");
		HttpResponse<String> first = anonymous.get(signed);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).startsWith("private");
		elsewhere("UPDATE videos SET signing_generation = signing_generation + 1 WHERE id = ?", unlisted);
		assertThat(anonymous.get(signed).statusCode()).isEqualTo(403);

		// Caption tracks are replaced while the video stays READY: never kept, however the URL is spelled.
		String captioned = readyVideo("PUBLIC");
		for (String spelling : List.of("/captions/", "/%63aptions/")) {
			String language = spelling.startsWith("/%") ? "fr" : "en";
			String track = "/api/stream/" + captioned + spelling + language + "/full.vtt";
			assertThat(owner.postCaption(captioned, cue("first words"), "a.vtt", language, "One").statusCode()).isEqualTo(201);
			HttpResponse<String> before = anonymous.get(track);
			assertThat(before.statusCode()).isEqualTo(200);
			assertThat(before.body()).contains("first words");
			assertThat(owner.postCaption(captioned, cue("second words"), "a.vtt", language, "One").statusCode()).isEqualTo(201);
			assertThat(anonymous.get(track).body()).as(track).contains("second words").doesNotContain("first words");
		}

		// Deleting a video drops what was kept of it.
		String gone = readyVideo("PUBLIC");
		String playlist = variant(gone);
		assertThat(anonymous.get(playlist).statusCode()).isEqualTo(200);
		assertThat(owner.send("DELETE", "/api/gallery/videos/" + gone, null).statusCode()).isEqualTo(204);
		assertThat(anonymous.get(playlist).statusCode()).isEqualTo(404);
	}
}
