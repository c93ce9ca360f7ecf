package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The gallery and the streaming API as a viewer and an owner use them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GalleryAndStreamingIntegrationTests extends AppIntegrationTest {

	private ApiClient owner;
	private ApiClient other;
	private String publicId;
	private String privateId;
	private String unlistedId;
	private String suffix;

	@BeforeAll
	void uploadThreeVideos() throws Exception {
		owner = newUser("owner");
		other = newUser("viewer");
		suffix = Long.toString(System.nanoTime(), 36);
		publicId = owner.tusUpload(Media.real("h264_videoonly_noaudio.mp4"), "Sunset at the pier " + suffix, "PUBLIC", 1 << 20).videoId();
		privateId = owner.tusUpload(Media.real("hevc_main_854x480_bframes.mp4"), "Private diary " + suffix, "PRIVATE", 1 << 20).videoId();
		unlistedId = owner.tusUpload(Media.real("mp4_minimal_62ms.mp4"), "Unlisted 100%_match " + suffix, "UNLISTED", 1 << 20).videoId();
		for (String id : List.of(publicId, privateId, unlistedId)) {
			assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		}
	}

	private List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("items").forEach(v -> ids.add(v.path("id").asString()));
		return ids;
	}

	@Test
	void othersSeePublicVideosOnlyAndTheOwnerSeesAll() throws Exception {
		var asOther = ApiClient.json(other.get("/api/gallery/videos?q=" + suffix));
		assertThat(ids(asOther)).containsExactly(publicId);
		var asAnonymous = ApiClient.json(anonymous().get("/api/gallery/videos?q=" + suffix));
		assertThat(ids(asAnonymous)).containsExactly(publicId);
		var asOwner = ApiClient.json(owner.get("/api/gallery/videos?q=" + suffix));
		assertThat(ids(asOwner)).containsExactlyInAnyOrder(publicId, privateId, unlistedId);

		// Someone else's PRIVATE video does not exist for them, in the gallery and in the stream.
		for (ApiClient stranger : List.of(other, anonymous())) {
			assertThat(stranger.get("/api/gallery/videos/" + privateId).statusCode()).isEqualTo(404);
			assertThat(stranger.get("/api/stream/" + privateId + "/qualities").statusCode()).isEqualTo(404);
			assertThat(stranger.get("/api/stream/" + privateId + "/master.m3u8").statusCode()).isEqualTo(404);
			assertThat(stranger.get("/api/stream/" + privateId + "/thumbnail.jpg").statusCode()).isEqualTo(404);
			assertThat(stranger.get("/api/gallery/videos/" + privateId + "/events").statusCode()).isEqualTo(404);
		}
		assertThat(owner.get("/api/stream/" + privateId + "/master.m3u8").statusCode()).as("its owner").isEqualTo(200);
		// UNLISTED: not listed, but whoever has the link gets signed URLs and can watch.
		assertThat(other.get("/api/gallery/videos/" + unlistedId).statusCode()).isEqualTo(200);
		String signedMaster = ApiClient.json(other.get("/api/stream/" + unlistedId + "/qualities")).path("masterUrl").asString();
		assertThat(signedMaster).contains("?exp=", "&kid=", "&sig=");
		assertThat(anonymous().get(signedMaster).statusCode()).isEqualTo(200);
		assertThat(anonymous().get("/api/stream/" + unlistedId + "/master.m3u8").statusCode()).as("unsigned").isEqualTo(403);
	}

	@Test
	void searchIsCaseInsensitiveTreatsWildcardsAsTextAndPages() throws Exception {
		assertThat(ids(ApiClient.json(owner.get("/api/gallery/videos?q=SUNSET%20AT%20THE%20PIER%20" + suffix)))).containsExactly(publicId);
		assertThat(ids(ApiClient.json(owner.get("/api/gallery/videos?q=100%25_match%20" + suffix)))).containsExactly(unlistedId);
		assertThat(ids(ApiClient.json(owner.get("/api/gallery/videos?q=%25%25%25" + suffix)))).isEmpty();
		assertThat(ids(ApiClient.json(owner.get("/api/gallery/videos?q=%27%20OR%201%3D1%20--")))).isEmpty();

		var first = ApiClient.json(owner.get("/api/gallery/videos?q=" + suffix + "&size=2&page=0&sort=title"));
		var second = ApiClient.json(owner.get("/api/gallery/videos?q=" + suffix + "&size=2&page=1&sort=title"));
		assertThat(first.path("total").asLong()).isEqualTo(3);
		assertThat(first.path("size").asInt()).isEqualTo(2);
		assertThat(ids(first)).containsExactly(privateId, publicId);
		assertThat(ids(second)).containsExactly(unlistedId);
		var newest = ApiClient.json(owner.get("/api/gallery/videos?q=" + suffix + "&sort=newest"));
		assertThat(ids(newest)).containsExactly(unlistedId, privateId, publicId);

		for (String bad : List.of("sort=sideways", "size=0", "size=1000", "page=-1", "page=abc")) {
			var response = owner.get("/api/gallery/videos?" + bad);
			assertThat(response.statusCode()).as(bad).isEqualTo(400);
			assertThat(ApiClient.json(response).path("error").asString()).isNotBlank();
		}
	}

	@Test
	void ownerMeListsEveryOneOfTheCallersVideosAndNoOneElses() throws Exception {
		// A marker that does not contain the suffix, so the other tests' searches do not see these drafts.
		String draft = "draft" + Long.toString(System.nanoTime(), 36);
		String ownerDraft = tusDraft(owner, "Unfinished " + draft);
		String otherDraft = tusDraft(other, "Stranger's " + draft);
		try {
			String ownerId = ApiClient.json(owner.get("/api/auth/me")).path("id").asString();

			// The owner's own: READY and UPLOADING, PUBLIC, UNLISTED and PRIVATE; never someone else's.
			var all = ApiClient.json(owner.get("/api/gallery/videos?owner=me&size=100"));
			assertThat(all.path("total").asLong()).isEqualTo(all.path("items").size());
			assertThat(all.path("items").size()).as("the owner's videos: three READY and a draft").isGreaterThanOrEqualTo(4);
			assertThat(ids(all)).contains(publicId, privateId, unlistedId, ownerDraft).doesNotContain(otherDraft);
			all.path("items").forEach(v -> assertThat(v.path("owner").path("id").asString()).isEqualTo(ownerId));
			List<String> statuses = new ArrayList<>();
			all.path("items").forEach(v -> statuses.add(v.path("status").asString()));
			assertThat(statuses).contains("READY", "UPLOADING");

			// The same q, sort and paging as the gallery, and the same Video JSON.
			var searched = ApiClient.json(owner.get("/api/gallery/videos?owner=me&q=" + suffix + "&size=2&page=0&sort=title"));
			assertThat(searched.path("total").asLong()).isEqualTo(3);
			assertThat(searched.path("size").asInt()).isEqualTo(2);
			assertThat(ids(searched)).containsExactly(privateId, publicId);
			assertThat(ids(ApiClient.json(owner.get("/api/gallery/videos?owner=me&q=" + suffix + "&size=2&page=1&sort=title"))))
					.containsExactly(unlistedId);
			var draftOnly = ApiClient.json(owner.get("/api/gallery/videos?owner=me&q=" + draft));
			assertThat(ids(draftOnly)).containsExactly(ownerDraft);
			assertThat(draftOnly.path("items").get(0).path("status").asString()).isEqualTo("UPLOADING");
			assertThat(draftOnly.path("items").get(0).path("visibility").asString()).isEqualTo("PRIVATE");

			// Someone else: the owner's PUBLIC READY video is in their gallery, not in their own list.
			assertThat(ids(ApiClient.json(other.get("/api/gallery/videos?q=" + suffix)))).containsExactly(publicId);
			assertThat(ids(ApiClient.json(other.get("/api/gallery/videos?owner=me&q=" + suffix)))).isEmpty();
			var othersOwn = ApiClient.json(other.get("/api/gallery/videos?owner=me&size=100"));
			assertThat(ids(othersOwn)).contains(otherDraft).doesNotContain(publicId, privateId, unlistedId, ownerDraft);

			// Nobody signed in has no videos of their own: 401 with the error JSON.
			var anonymousMine = anonymous().get("/api/gallery/videos?owner=me");
			assertThat(anonymousMine.statusCode()).isEqualTo(401);
			assertThat(ApiClient.json(anonymousMine).path("error").asString()).isEqualTo("unauthenticated");
			var unknownOwner = owner.get("/api/gallery/videos?owner=" + ownerId);
			assertThat(unknownOwner.statusCode()).isEqualTo(400);
			assertThat(ApiClient.json(unknownOwner).path("error").asString()).isEqualTo("invalid_owner");
			assertThat(owner.get("/api/gallery/videos?owner=me&sort=sideways").statusCode()).isEqualTo(400);
		}
		finally {
			owner.send("DELETE", "/api/gallery/videos/" + ownerDraft, null);
			other.send("DELETE", "/api/gallery/videos/" + otherDraft, null);
		}
	}

	/** A PRIVATE tus upload that is created and never sent: a video that stays UPLOADING. */
	private static String tusDraft(ApiClient client, String title) throws Exception {
		var created = client.tusCreate(1000, Map.of("filename", "draft.mp4", "title", title, "visibility", "PRIVATE"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String location = created.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	@Test
	void ownerEditsAndOthersCannot() throws Exception {
		var edited = owner.send("PATCH", "/api/gallery/videos/" + unlistedId,
				Map.of("description", "<script>alert(1)</script> kept as text"));
		assertThat(edited.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(edited).path("description").asString()).isEqualTo("<script>alert(1)</script> kept as text");
		assertThat(ApiClient.json(edited).path("title").asString()).startsWith("Unlisted");

		assertThat(other.send("PATCH", "/api/gallery/videos/" + unlistedId, Map.of("title", "hijacked")).statusCode()).isEqualTo(403);
		assertThat(other.send("PATCH", "/api/gallery/videos/" + privateId, Map.of("title", "hijacked")).statusCode()).isEqualTo(404);
		assertThat(anonymous().send("PATCH", "/api/gallery/videos/" + publicId, Map.of("title", "x")).statusCode()).isEqualTo(401);
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + publicId, Map.of("visibility", "SECRET")).statusCode()).isEqualTo(400);
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + publicId, Map.of("title", " ")).statusCode()).isEqualTo(400);
		assertThat(other.send("DELETE", "/api/gallery/videos/" + publicId, null).statusCode()).isEqualTo(403);
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + publicId)).path("title").asString()).startsWith("Sunset");
	}

	@Test
	void deletingAVideoRemovesItsFiles() throws Exception {
		String id = owner.tusUpload(Media.real("vp8_vorbis.webm"), "To be deleted", "PUBLIC", 1 << 20).videoId();
		assertThat(owner.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(Files.exists(data.resolve("blobs/renditions").resolve(id).resolve("master.m3u8"))).isTrue();

		assertThat(owner.send("DELETE", "/api/gallery/videos/" + id, null).statusCode()).isEqualTo(204);
		assertThat(owner.get("/api/gallery/videos/" + id).statusCode()).isEqualTo(404);
		assertThat(owner.get("/api/stream/" + id + "/master.m3u8").statusCode()).isEqualTo(404);
		assertThat(Files.exists(data.resolve("blobs/renditions").resolve(id))).isFalse();
		assertThat(Files.exists(data.resolve("blobs/originals").resolve(id))).isFalse();
	}

	@Test
	void qualitiesListEveryRenditionWithItsPlaylist() throws Exception {
		var qualities = ApiClient.json(other.get("/api/stream/" + publicId + "/qualities"));
		assertThat(qualities.path("videoId").asString()).isEqualTo(publicId);
		assertThat(qualities.path("masterUrl").asString()).isEqualTo("/api/stream/" + publicId + "/master.m3u8");
		List<String> names = new ArrayList<>();
		for (JsonNode q : qualities.path("qualities")) {
			names.add(q.path("name").asString());
			assertThat(q.path("bandwidth").asLong()).isPositive();
			assertThat(other.get(q.path("url").asString()).body()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
		}
		assertThat(names).containsExactly("720p", "480p", "360p", "240p");
	}

	@Test
	void segmentsHonourRangeEtagAndCacheHeaders() throws Exception {
		String playlist = other.get("/api/stream/" + publicId + "/720p/index.m3u8").body();
		String segment = playlist.lines().filter(l -> l.endsWith(".m4s")).findFirst().orElseThrow();
		String url = "/api/stream/" + publicId + "/720p/" + segment;

		var whole = other.getBytes(url);
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
		assertThat(whole.headers().firstValue("Cache-Control").orElseThrow()).contains("public", "immutable");
		assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
		String etag = whole.headers().firstValue("ETag").orElseThrow();
		byte[] bytes = whole.body();

		var part = other.getBytes(url, "Range", "bytes=100-1099");
		assertThat(part.statusCode()).isEqualTo(206);
		assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-1099/" + bytes.length);
		assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 1100));

		// A large range (sent by sendfile from local disk): the right bytes, nothing more.
		assertThat(bytes.length).as("segment big enough for a large range").isGreaterThan(100_000);
		int from = 1234;
		int to = bytes.length - 4321;
		var large = other.getBytes(url, "Range", "bytes=" + from + "-" + to);
		assertThat(large.statusCode()).isEqualTo(206);
		assertThat(large.headers().firstValue("Content-Length")).hasValue(String.valueOf(to - from + 1));
		assertThat(large.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, from, to + 1));

		var tail = other.getBytes(url, "Range", "bytes=-10");
		assertThat(tail.statusCode()).isEqualTo(206);
		assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));

		var beyond = other.getBytes(url, "Range", "bytes=" + bytes.length + "-");
		assertThat(beyond.statusCode()).isEqualTo(416);
		assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);

		var notModified = other.getBytes(url, "If-None-Match", etag);
		assertThat(notModified.statusCode()).isEqualTo(304);
		assertThat(notModified.body()).isEmpty();

		var playlistResponse = other.get("/api/stream/" + publicId + "/720p/index.m3u8");
		assertThat(playlistResponse.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
		assertThat(playlistResponse.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=10")
				.doesNotContain("immutable");
		// The master lists caption tracks, which change after READY: asked again each time (a 304 when unchanged).
		var publicMaster = other.get("/api/stream/" + publicId + "/master.m3u8");
		assertThat(publicMaster.headers().firstValue("Cache-Control")).hasValue("public, no-cache");
		var masterAgain = other.get("/api/stream/" + publicId + "/master.m3u8", "If-None-Match",
				publicMaster.headers().firstValue("ETag").orElseThrow());
		assertThat(masterAgain.statusCode()).isEqualTo(304);
		// A private video's files may not sit in a shared cache.
		var privateMaster = owner.get("/api/stream/" + privateId + "/master.m3u8");
		assertThat(privateMaster.headers().firstValue("Cache-Control").orElseThrow()).startsWith("private");
	}

	@Test
	void refusesPathsOutsideTheVideo() throws Exception {
		for (String path : List.of("/../originals/" + publicId, "/..%2F..%2Fsecrets%2Fjwt.key", "/720p/../../x.m3u8",
				"/logs/x.log", "/720p/index.m3u8%00.jpg", "/ffmpeg.log")) {
			var response = other.get("/api/stream/" + publicId + path);
			assertThat(response.statusCode()).as(path).isIn(400, 404);
			assertThat(response.body()).doesNotContain("EXTM3U");
		}
		assertThat(other.get("/api/stream/not-an-id/master.m3u8").statusCode()).isEqualTo(404);
	}

	@Test
	void eventsStreamStatusAndProgressUntilReady() throws Exception {
		var created = owner.tusCreate(Files.size(Media.real("av1_10bit_hdr10_portrait_720x1280.mp4")),
				Map.of("filename", "events.mp4", "title", "Events"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);

		HttpClient http = HttpClient.newHttpClient();
		var request = owner.request("/api/gallery/videos/" + id + "/events").header("Accept", "text/event-stream").GET().build();
		HttpResponse<java.io.InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");

		byte[] bytes = Files.readAllBytes(Media.real("av1_10bit_hdr10_portrait_720x1280.mp4"));
		assertThat(owner.tusPatch(location, 0, bytes, null).statusCode()).isEqualTo(204);

		List<String> events = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			String line;
			String event = null;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("event:")) {
					event = line.substring(6).trim();
				}
				else if (line.startsWith("data:")) {
					events.add(event + " " + line.substring(5).trim());
				}
			}
		}
		assertThat(events.get(0)).startsWith("status ").contains("\"status\":\"UPLOADING\"");
		assertThat(events).anySatisfy(e -> assertThat(e).startsWith("status ").contains("\"status\":\"PROCESSING\""));
		assertThat(events).anySatisfy(e -> assertThat(e).startsWith("progress ").contains("\"progress\":100"));
		assertThat(events.get(events.size() - 1)).contains("\"status\":\"READY\"");
	}

	@Test
	void aQuietStreamSendsHeartbeatsAndEndsOnceTheClientHasGone() throws Exception {
		// An upload that never continues: its status stream has nothing to say but the heartbeat
		// (every second in these tests, videoforge.catalog.event-heartbeat).
		String id = tusDraft(owner, "Quiet " + Long.toString(System.nanoTime(), 36));
		try {
			URI base = URI.create(owner.base());
			List<String> lines = new ArrayList<>();
			// The gauge counts the whole server's streams: it must count this one alone, or another
			// stream closing would pass for this one being let go. Earlier tests' streams end first.
			long quiet = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (openStreams() != 0 && System.nanoTime() < quiet) {
				Thread.sleep(250);
			}
			assertThat(openStreams()).as("status streams open before this test's own").isZero();
			try (Socket socket = new Socket(base.getHost(), base.getPort())) {
				socket.setSoTimeout(5_000);
				socket.getOutputStream().write(("GET /api/gallery/videos/" + id + "/events HTTP/1.1\r\nHost: " + base.getHost()
						+ "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + owner.token() + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				String line;
				// Reading times out after 5 s without a byte: the heartbeat is what keeps it going.
				while ((line = reader.readLine()) != null && System.nanoTime() < deadline) {
					lines.add(line);
					if (line.equals(":keep-alive") && lines.stream().filter(":keep-alive"::equals).count() == 2) {
						break;
					}
				}
				assertThat(lines.get(0)).startsWith("HTTP/1.1 200");
				assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"status\":\"UPLOADING\""));
				assertThat(lines.stream().filter(":keep-alive"::equals)).as("heartbeats in " + lines).hasSize(2);
				assertThat(openStreams()).as("this test's stream, and no other").isEqualTo(1);
			}
			// The client has gone: the next heartbeats fail to write and the server lets the stream go.
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (openStreams() != 0 && System.nanoTime() < deadline) {
				Thread.sleep(250);
			}
			assertThat(openStreams()).as("open status streams after the client left").isZero();
		}
		finally {
			owner.send("DELETE", "/api/gallery/videos/" + id, null);
		}
	}

	/** The {@code videoforge_events_streams} gauge: status streams open in the server. */
	private double openStreams() throws Exception {
		// Metrics need an administrator.
		String metrics = admin().get("/actuator/prometheus").body();
		return metrics.lines().filter(l -> l.startsWith("videoforge_events_streams ")).findFirst()
				.map(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
				.orElseThrow(() -> new AssertionError("no videoforge_events_streams in /actuator/prometheus"));
	}
}
