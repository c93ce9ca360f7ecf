package dev.videoforge.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Caption tracks end to end: an owner's SubRip upload served cleaned as one file and as a
 * segmented WebVTT rendition listed in the master playlist, replaced and deleted; hostile files
 * refused with the error JSON; and the SubRip stream inside a real Matroska file extracted at
 * transcode time.
 */
class CaptionsIntegrationTests extends AppIntegrationTest {

	private static final String SRT = """
			1
			00:00:01,000 --> 00:00:02,500
			Hello <b>world</b><script>alert(1)</script>

			2
			00:00:03,500 --> 00:00:04,500
			Across & <img src=x onerror=alert(2)>the boundary

			3
			00:00:09,000 --> 00:00:09,800
			Last words
			""";

	private static final String CLEANED = """
			WEBVTT

			00:00:01.000 --> 00:00:02.500
			Hello <b>world</b>alert(1)

			00:00:03.500 --> 00:00:04.500
			Across &amp; the boundary

			00:00:09.000 --> 00:00:09.800
			Last words

			""";

	private static final Pattern CUE_TIMING = Pattern.compile("(?m)^(\\S+) --> (\\S+)");

	/** A READY 10 s UNLISTED clip of a new account (segments of 4, 4 and 2 s). */
	private record Ready(ApiClient owner, String id) {
	}

	private Ready readyClip(String prefix) throws Exception {
		ApiClient owner = newUser(prefix);
		Path clip = Media.testClip(Files.createTempDirectory("captions-").resolve("clip.mp4"), "320x240", 10);
		HttpResponse<String> created = owner.multipart(clip, "Captions " + prefix, "UNLISTED");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = ApiClient.json(created).path("id").asString();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");
		return new Ready(owner, id);
	}

	/** A path (and query) of this server from an absolute or root-relative URL. */
	private static String local(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String resolve(String base, String relative) {
		return local(URI.create(base.startsWith("http") ? base : "http://x" + base).resolve(relative).toString());
	}

	@Test
	void anUploadedSubRipIsServedCleanedAsOneFileAndAsSegmentsThenReplacedAndDeleted() throws Exception {
		Ready ready = readyClip("cap");
		ApiClient owner = ready.owner();
		String id = ready.id();

		HttpResponse<String> stored = owner.postCaption(id, SRT.getBytes(StandardCharsets.UTF_8), "en.srt", "en", "English");
		assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
		JsonNode track = ApiClient.json(stored);
		assertThat(track.path("language").asString()).isEqualTo("en");
		assertThat(track.path("label").asString()).isEqualTo("English");
		assertThat(track.path("url").asString()).contains("/api/stream/" + id + "/captions/en/full.vtt?");

		// The Video JSON lists it, with a signed URL (the video is UNLISTED) that anyone with it can read.
		JsonNode video = ApiClient.json(anonymous().get("/api/gallery/videos/" + id));
		assertThat(video.path("captions")).hasSize(1);
		JsonNode caption = video.path("captions").get(0);
		assertThat(caption.path("language").asString()).isEqualTo("en");
		assertThat(caption.path("label").asString()).isEqualTo("English");
		assertThat(caption.path("source").asString()).isEqualTo("uploaded");
		HttpResponse<String> vtt = anonymous().get(local(caption.path("url").asString()));
		assertThat(vtt.statusCode()).isEqualTo(200);
		assertThat(vtt.headers().firstValue("Content-Type").orElse("")).startsWith("text/vtt");
		assertThat(vtt.body()).isEqualTo(CLEANED);
		// Unsigned, the UNLISTED video's file is refused.
		assertThat(anonymous().get("/api/stream/" + id + "/captions/en/full.vtt").statusCode()).isEqualTo(403);

		// The master lists the track and every variant names its group.
		String masterUrl = local(ApiClient.json(anonymous().get("/api/stream/" + id + "/qualities")).path("masterUrl").asString());
		HttpResponse<String> master = anonymous().get(masterUrl);
		assertThat(master.statusCode()).isEqualTo(200);
		Matcher media = Pattern.compile("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\","
				+ "DEFAULT=NO,AUTOSELECT=YES,URI=\"(captions/en/index\\.m3u8\\?[^\"]+)\"").matcher(master.body());
		assertThat(media.find()).as(master.body()).isTrue();
		List<String> variants = master.body().lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
		assertThat(variants).isNotEmpty();
		assertThat(variants).allMatch(l -> l.endsWith(",SUBTITLES=\"subs\""));
		String etag = master.headers().firstValue("ETag").orElseThrow();

		// The segmented rendition: the video's own boundaries, each segment with the cues overlapping it.
		String subsUrl = resolve(masterUrl, media.group(1));
		String subs = anonymous().get(subsUrl).body();
		String videoPlaylist = anonymous().get(resolve(masterUrl, master.body().lines()
				.filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow())).body();
		List<Double> videoLengths = WebVtt.segmentLengths(videoPlaylist);
		assertThat(videoLengths).hasSize(3);
		assertThat(WebVtt.segmentLengths(subs)).isEqualTo(videoLengths);
		assertThat(subs).contains("#EXT-X-TARGETDURATION:4\n", "#EXT-X-ENDLIST");
		List<String> segmentUris = subs.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
		assertThat(segmentUris).hasSize(3);
		List<String> segments = new ArrayList<>();
		for (String uri : segmentUris) {
			HttpResponse<String> segment = anonymous().get(resolve(subsUrl, uri));
			assertThat(segment.statusCode()).as(uri).isEqualTo(200);
			assertThat(segment.body()).startsWith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n");
			segments.add(segment.body());
		}
		assertThat(segments.get(0)).contains("Hello <b>world</b>", "Across").doesNotContain("Last words");
		assertThat(segments.get(1)).contains("Across").doesNotContain("Hello", "Last words");
		assertThat(segments.get(2)).contains("00:00:09.000 --> 00:00:09.800\nLast words").doesNotContain("Hello", "Across");

		// Someone else may neither add nor remove captions; without a token it is 401.
		ApiClient stranger = newUser("capx");
		HttpResponse<String> foreign = stranger.postCaption(id, SRT.getBytes(StandardCharsets.UTF_8), "x.srt", "fr", "Français");
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(ApiClient.json(foreign).path("error").asString()).isNotBlank();
		assertThat(stranger.send("DELETE", "/api/gallery/videos/" + id + "/captions/en", null).statusCode()).isEqualTo(403);
		assertThat(anonymous().postCaption(id, SRT.getBytes(StandardCharsets.UTF_8), "x.srt", "fr", "F").statusCode())
				.isEqualTo(401);

		// The same language again replaces the track; the master changes and so does its ETag.
		HttpResponse<String> replaced = owner.postCaption(id,
				"WEBVTT\n\n00:02.000 --> 00:03.000\nReplaced\n".getBytes(StandardCharsets.UTF_8), "en.vtt", "EN", "English (CC)");
		assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(201);
		video = ApiClient.json(owner.get("/api/gallery/videos/" + id));
		assertThat(video.path("captions")).hasSize(1);
		assertThat(video.path("captions").get(0).path("label").asString()).isEqualTo("English (CC)");
		assertThat(owner.get(local(video.path("captions").get(0).path("url").asString())).body())
				.isEqualTo("WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nReplaced\n\n");
		HttpResponse<String> master2 = anonymous().get(masterUrl, "If-None-Match", etag);
		assertThat(master2.statusCode()).isEqualTo(200);
		assertThat(master2.body()).contains("NAME=\"English (CC)\"");
		assertThat(master2.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);

		// A PRIVATE video does not exist for others: 404 for them.
		assertThat(owner.send("PATCH", "/api/gallery/videos/" + id, Map.of("visibility", "PRIVATE")).statusCode()).isEqualTo(200);
		assertThat(stranger.postCaption(id, SRT.getBytes(StandardCharsets.UTF_8), "x.srt", "fr", "F").statusCode()).isEqualTo(404);
		assertThat(stranger.send("DELETE", "/api/gallery/videos/" + id + "/captions/en", null).statusCode()).isEqualTo(404);

		// Delete: gone from the JSON, the master and storage.
		assertThat(owner.send("DELETE", "/api/gallery/videos/" + id + "/captions/en", null).statusCode()).isEqualTo(204);
		video = ApiClient.json(owner.get("/api/gallery/videos/" + id));
		assertThat(video.path("captions")).isEmpty();
		String after = owner.get("/api/stream/" + id + "/master.m3u8").body();
		assertThat(after).startsWith("#EXTM3U").doesNotContain("SUBTITLES");
		assertThat(owner.get("/api/stream/" + id + "/captions/en/full.vtt").statusCode()).isEqualTo(404);
		try (var files = Files.walk(data)) {
			assertThat(files.filter(p -> p.toString().contains(id) && p.toString().contains("captions"))
					.filter(Files::isRegularFile).toList()).isEmpty();
		}
		HttpResponse<String> again = owner.send("DELETE", "/api/gallery/videos/" + id + "/captions/en", null);
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(ApiClient.json(again).path("error").asString()).isEqualTo("not_found");
	}

	@Test
	void hostileCaptionFilesAreRefusedOrCleaned() throws Exception {
		Ready ready = readyClip("caph");
		ApiClient owner = ready.owner();
		String id = ready.id();
		byte[] png = java.util.Base64.getDecoder().decode(
				"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==");
		byte[] random = new byte[4096];
		new Random(12).nextBytes(random);
		byte[] huge = ("WEBVTT\n\n00:01.000 --> 00:02.000\n" + "x".repeat(1024 * 1024) + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] latin1 = "1\n00:00:01,000 --> 00:00:02,000\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
		byte[] html = "<html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);

		refused(owner.postCaption(id, png, "en.srt", "en", "English"), 415, "unsupported_caption");
		refused(owner.postCaption(id, random, "en.vtt", "en", "English"), 415, "unsupported_caption");
		refused(owner.postCaption(id, latin1, "en.srt", "en", "English"), 415, "unsupported_caption");
		refused(owner.postCaption(id, html, "en.vtt", "en", "English"), 415, "unsupported_caption");
		refused(owner.postCaption(id, huge, "en.vtt", "en", "English"), 413, "caption_too_large");
		refused(owner.postCaption(id, "1\n00:00:01,000 --> later\nx\n".getBytes(StandardCharsets.UTF_8), "en.srt", "en", "E"),
				422, "invalid_caption");
		refused(owner.postCaption(id, "1\n00:00:05,000 --> 00:00:04,000\nx\n".getBytes(StandardCharsets.UTF_8), "en.srt", "en",
				"E"), 422, "invalid_caption");
		refused(owner.postCaption(id, "WEBVTT\n\n-00:01.000 --> 00:02.000\nx\n".getBytes(StandardCharsets.UTF_8), "en.vtt", "en",
				"E"), 422, "invalid_caption");
		refused(owner.postCaption(id, "1\n05:00:00,000 --> 05:00:01,000\nlate\n".getBytes(StandardCharsets.UTF_8), "en.srt", "en",
				"E"), 422, "invalid_caption");
		byte[] ok = SRT.getBytes(StandardCharsets.UTF_8);
		refused(owner.postCaption(id, ok, "en.srt", "../en", "English"), 400, "invalid_language");
		refused(owner.postCaption(id, ok, "en.srt", "en/../../x", "English"), 400, "invalid_language");
		refused(owner.postCaption(id, ok, "en.srt", null, "English"), 400, "invalid_language");
		refused(owner.postCaption(id, ok, "en.srt", "en", "Eng\u0007lish"), 400, "invalid_label");
		refused(owner.postCaption(id, ok, "en.srt", "en", "x".repeat(65)), 400, "invalid_label");
		refused(owner.postCaption(id, null, null, "en", "English"), 400, "missing_file");
		// Nothing refused was stored.
		assertThat(ApiClient.json(owner.get("/api/gallery/videos/" + id)).path("captions")).isEmpty();

		// Markup is cleaned: script, style and note blocks gone, words kept as text.
		String scripted = """
				WEBVTT

				STYLE
				::cue { background-image: url(javascript:alert(1)) }

				NOTE <script>alert(2)</script>

				00:01.000 --> 00:02.000
				<script>alert(3)</script><a href="javascript:alert(4)">click</a> &lt;b&gt;
				""";
		HttpResponse<String> cleaned = owner.postCaption(id, scripted.getBytes(StandardCharsets.UTF_8), "x.vtt", "de", "Deutsch");
		assertThat(cleaned.statusCode()).as(cleaned.body()).isEqualTo(201);
		String served = owner.get(local(ApiClient.json(cleaned).path("url").asString())).body();
		assertThat(served).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nalert(3)click &lt;b&gt;\n\n");

		// Before READY a video's files are still being written: 409.
		HttpResponse<String> uploading = owner.tusCreate(1000, Map.of("filename", "a.mp4", "title", "not yet"));
		String pending = uploading.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
		refused(owner.postCaption(pending, ok, "en.srt", "en", "English"), 409, "not_ready");
	}

	private static void refused(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode body = ApiClient.json(response);
		assertThat(body.path("error").asString()).as(response.body()).isEqualTo(code);
		assertThat(body.path("message").asString()).isNotBlank();
	}

	@Test
	void theSubRipStreamOfAMatroskaFileBecomesAnEmbeddedTrack() throws Exception {
		ApiClient owner = newUser("capm");
		Path mkv = Media.real("mkv_h264_ac3_srt.mkv");
		HttpResponse<String> created = owner.multipart(mkv, "Embedded subtitles", "PUBLIC");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = ApiClient.json(created).path("id").asString();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");

		assertThat(video.path("captions")).hasSize(1);
		JsonNode caption = video.path("captions").get(0);
		assertThat(caption.path("source").asString()).isEqualTo("embedded");
		assertThat(caption.path("language").asString()).isEqualTo("en");
		assertThat(caption.path("label").asString()).isEqualTo("Subs Label");

		// The cues are the file's own, as ffmpeg reads them from it.
		Media.Run extracted = Media.run(List.of("ffmpeg", "-v", "error", "-i", mkv.toString(), "-map", "0:s:0", "-f", "webvtt", "-"), 60);
		assertThat(extracted.exitCode()).as(extracted.stderr()).isZero();
		List<String> expected = cues(extracted.stdout());
		assertThat(expected).hasSize(1);
		String served = anonymous().get(local(caption.path("url").asString())).body();
		assertThat(cues(served)).isEqualTo(expected);

		String master = anonymous().get("/api/stream/" + id + "/master.m3u8").body();
		assertThat(master).contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Subs Label\",LANGUAGE=\"en\"");
		String segment = anonymous().get("/api/stream/" + id + "/captions/en/s0.vtt").body();
		assertThat(cues(segment)).isEqualTo(expected);

		// The gallery's listing carries the tracks too.
		JsonNode mine = ApiClient.json(owner.get("/api/gallery/videos?owner=me"));
		assertThat(mine.path("items")).hasSize(1);
		assertThat(mine.path("items").get(0).path("captions")).hasSize(1);
		assertThat(mine.path("items").get(0).path("captions").get(0).path("source").asString()).isEqualTo("embedded");

		// Deleting the video removes its caption files with the rest.
		assertThat(owner.send("DELETE", "/api/gallery/videos/" + id, null).statusCode()).isEqualTo(204);
		try (var files = Files.walk(data)) {
			assertThat(files.filter(p -> p.toString().contains(id)).filter(Files::isRegularFile).toList()).isEmpty();
		}
	}

	/**
	 * Made here with ffmpeg: a Matroska file with a French SubRip stream (titled), an English ASS
	 * stream (untitled) and a Spanish SubRip stream the cleaner refuses (left out, the video READY), and an MP4 with a German mov_text stream, their cues holding markup. Every
	 * stream becomes a track, labelled by its title or its language, its cues cleaned (ffmpeg's own
	 * WebVTT of the ASS stream keeps the {@code <img>} as it was: the cleaner takes it out).
	 */
	@Test
	void textSubtitlesInMatroskaAndMp4BecomeCleanedTracks() throws Exception {
		ApiClient owner = newUser("capk");
		Path dir = Files.createTempDirectory("captions-embedded-");
		Files.writeString(dir.resolve("fr.srt"),
				"1\n00:00:00,500 --> 00:00:01,500\n<font color=\"red\">Bonjour</font> <script>alert(1)</script>\n\n");
		Files.writeString(dir.resolve("en.ass"), """
				[Script Info]
				ScriptType: v4.00+

				[V4+ Styles]
				Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
				Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,1

				[Events]
				Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
				Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\i1}Hello{\\i0} <img src=x onerror=alert(1)>
				""");
		// A third stream the cleaner refuses (a cue over max-cue-length): left out, the video still READY.
		Files.writeString(dir.resolve("es.srt"), "1\n00:00:00,500 --> 00:00:01,500\n" + "x".repeat(1500) + "\n\n");
		Path mkv = dir.resolve("subs.mkv");
		Path mp4 = dir.resolve("subs.mp4");
		String clip = "testsrc2=size=320x240:rate=30";
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", clip, "-i", dir.resolve("fr.srt").toString(),
				"-i", dir.resolve("en.ass").toString(), "-i", dir.resolve("es.srt").toString(), "-t", "3", "-map", "0:v", "-map",
				"1", "-map", "2", "-map", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:s:0", "srt", "-c:s:1", "ass",
				"-c:s:2", "srt", "-metadata:s:s:0", "language=fre", "-metadata:s:s:0", "title=Français", "-metadata:s:s:1",
				"language=eng", "-metadata:s:s:2", "language=spa", mkv.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		made = Media.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", clip, "-i", dir.resolve("fr.srt").toString(), "-t",
				"3", "-map", "0:v", "-map", "1", "-c:v", "libx264", "-preset", "ultrafast", "-c:s", "mov_text", "-metadata:s:s:0",
				"language=ger", mp4.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();

		String mkvId = ApiClient.json(owner.multipart(mkv, "Two subtitle streams", "PRIVATE")).path("id").asString();
		String mp4Id = ApiClient.json(owner.multipart(mp4, "mov_text", "PRIVATE")).path("id").asString();
		JsonNode video = owner.awaitFinal(mkvId, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");
		JsonNode captions = video.path("captions");
		assertThat(captions).hasSize(2);
		assertThat(captions.get(0).path("language").asString()).isEqualTo("en");
		assertThat(captions.get(0).path("label").asString()).isEqualTo("English");
		assertThat(captions.get(1).path("language").asString()).isEqualTo("fr");
		assertThat(captions.get(1).path("label").asString()).isEqualTo("Français");
		assertThat(owner.get(local(captions.get(0).path("url").asString())).body())
				.isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i>Hello</i>\n\n");
		assertThat(owner.get(local(captions.get(1).path("url").asString())).body())
				.isEqualTo("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nBonjour alert(1)\n\n");

		video = owner.awaitFinal(mp4Id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");
		assertThat(video.path("captions")).hasSize(1);
		assertThat(video.path("captions").get(0).path("language").asString()).isEqualTo("de");
		assertThat(video.path("captions").get(0).path("label").asString()).isEqualTo("German");
		assertThat(video.path("captions").get(0).path("source").asString()).isEqualTo("embedded");
		assertThat(owner.get(local(video.path("captions").get(0).path("url").asString())).body())
				.isEqualTo("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nBonjour alert(1)\n\n");
	}

	/** Each cue as "start-ms end-ms text", whatever the timestamp layout (with or without hours). */
	private static List<String> cues(String vtt) {
		List<String> cues = new ArrayList<>();
		for (String block : vtt.replace("\r\n", "\n").split("\n\n+")) {
			Matcher m = CUE_TIMING.matcher(block);
			if (m.find()) {
				String text = block.substring(block.indexOf('\n', m.end()) + 1).strip();
				cues.add(millis(m.group(1)) + " " + millis(m.group(2)) + " " + text);
			}
		}
		return cues;
	}

	private static long millis(String timestamp) {
		String[] parts = timestamp.replace(',', '.').split(":");
		double seconds = Arrays.stream(parts).mapToDouble(Double::parseDouble).reduce(0, (a, b) -> a * 60 + b);
		return Math.round(seconds * 1000);
	}
}
