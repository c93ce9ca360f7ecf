package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.Sandbox;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Uploads whose content makes ffmpeg open other files: playlists and manifests naming another
 * account's PRIVATE renditions (by absolute path and relative to where uploads and jobs live), a
 * concat script, pictures and picture sequences, SVG, text that ffmpeg would render as video.
 * Every one is 415 by tus and by multipart, leaves nothing behind, and the other account's video
 * is not republished. Behind the format allowlist, the sandbox stops a read outside the job's
 * folder even when the format check is bypassed.
 */
class HostileMediaIntegrationTests extends AppIntegrationTest {

	@Autowired
	Sandbox sandbox;

	@TempDir
	Path temp;

	@Test
	void uploadsThatNameOtherFilesOrAreNotMediaAreRefusedAndReadNothing() throws Exception {
		ApiClient alice = newUser("alice");
		String secret = alice.tusUpload(Media.testClip(temp.resolve("diary.mp4"), "320x240", 2), "Alice's diary", "PRIVATE",
				1 << 20).videoId();
		assertThat(alice.awaitFinal(secret, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		Path victim = data.resolve("blobs/renditions").resolve(secret).toAbsolutePath();
		String quality = Files.list(victim).filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().findFirst()
				.orElseThrow();
		// One init section per rendition: init.mp4 alone, init_<n>.mp4 beside the sound's rendition.
		String initName;
		try (var files = Files.list(victim.resolve(quality))) {
			initName = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("init")).findFirst().orElseThrow();
		}
		Path init = victim.resolve(quality).resolve(initName);
		Path segment = victim.resolve(quality).resolve("seg_00000.m4s");
		assertThat(init).exists();
		// Relative to the staging folder of uploads (data/uploads) and to a job's folder (data/work/<job>).
		String fromUploads = "../blobs/renditions/" + secret + "/" + quality + "/";
		String fromWork = "../../blobs/renditions/" + secret + "/" + quality + "/";

		Map<String, byte[]> attacks = new LinkedHashMap<>();
		attacks.put("hls-absolute.m3u8", hls(init.toString(), segment.toString()));
		attacks.put("hls-relative-uploads.mp4", hls(fromUploads + initName, fromUploads + "seg_00000.m4s"));
		attacks.put("hls-relative-work.mp4", hls(fromWork + initName, fromWork + "seg_00000.m4s"));
		attacks.put("hls-master.mp4", ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\n" + victim.resolve(quality).resolve("index.m3u8")
				+ "\n").getBytes(StandardCharsets.UTF_8));
		attacks.put("hls-file-url.mkv", hls("file://" + init, "file://" + segment));
		attacks.put("dash-absolute.mpd", dash(init.toString(), segment.toString()));
		attacks.put("dash-relative.mp4", dash(fromUploads + initName, fromUploads + "seg_00000.m4s"));
		attacks.put("concat.mp4", ("ffconcat version 1.0\nfile '" + segment + "'\nfile '" + fromUploads + "seg_00000.m4s'\n")
				.getBytes(StandardCharsets.UTF_8));
		attacks.put("picture.jpg", Files.readAllBytes(picture("jpg")));
		attacks.put("picture.png", Files.readAllBytes(picture("png")));
		attacks.put("animation.gif", Files.readAllBytes(picture("gif")));
		attacks.put("sequence%03d.jpg", Files.readAllBytes(picture("jpg")));
		attacks.put("drawing.svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><image href=\"file:///etc/passwd\"/><rect width=\"64\" height=\"64\"/></svg>"
				.getBytes(StandardCharsets.UTF_8));
		attacks.put("notes.txt", "Dear diary,\nthis is plain text that the tty demuxer would draw as video.\n".repeat(50)
				.getBytes(StandardCharsets.UTF_8));
		attacks.put("ansi.ans", ("\u001b[1;31mRED\u001b[0m text with ANSI escapes\r\n").repeat(100).getBytes(StandardCharsets.UTF_8));
		byte[] xbin = new byte[4096];
		System.arraycopy("XBIN\u001a".getBytes(StandardCharsets.ISO_8859_1), 0, xbin, 0, 5);
		xbin[5] = 80;
		xbin[7] = 25;
		xbin[9] = 16;
		attacks.put("art.xb", xbin);
		attacks.put("metadata.mp4", ";FFMETADATA1\ntitle=not a video\n".getBytes(StandardCharsets.UTF_8));
		attacks.put("subtitles.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"
				.getBytes(StandardCharsets.UTF_8));
		attacks.put("captions.webm", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n".getBytes(StandardCharsets.UTF_8));
		attacks.put("beats.mp3", "-SE\nalloff: -\nNOW alloff\n".getBytes(StandardCharsets.UTF_8));

		ApiClient mallory = newUser("mallory");
		List<String> attempted = new java.util.ArrayList<>();
		SoftAssertions softly = new SoftAssertions();
		for (var attack : attacks.entrySet()) {
			Path file = temp.resolve(attack.getKey());
			Files.write(file, attack.getValue());
			var tus = mallory.tusUpload(file, "Republished " + attack.getKey(), "PUBLIC", 1 << 20);
			attempted.add(tus.videoId());
			softly.assertThat(tus.lastResponse().statusCode()).as("tus %s: %s", attack.getKey(), tus.lastResponse().body())
					.isEqualTo(415);
			softly.assertThat(tus.lastResponse().body()).as("tus %s", attack.getKey()).contains("\"error\":\"not_media\"");
			softly.assertThat(mallory.get("/api/gallery/videos/" + tus.videoId()).statusCode()).as("tus %s left a video",
					attack.getKey()).isEqualTo(404);
			var multipart = mallory.multipart(file, "Republished " + attack.getKey(), "PUBLIC");
			softly.assertThat(multipart.statusCode()).as("multipart %s: %s", attack.getKey(), multipart.body()).isEqualTo(415);
		}
		softly.assertAll();

		// Nothing of Mallory's exists, nothing new was transcoded, and Alice's video is still hers alone.
		JsonNode own = ApiClient.json(mallory.get("/api/gallery/videos?owner=me&size=100"));
		assertThat(own.path("total").asInt()).isZero();
		// (Only this test's own uploads are looked at: other tests' videos come and go meanwhile.)
		assertThat(attempted).as("one upload per attack").hasSize(attacks.size());
		assertThat(attempted).as("no renditions of the refused uploads")
				.noneMatch(id -> Files.exists(data.resolve("blobs/renditions").resolve(id)));
		assertThat(mallory.get("/api/gallery/videos/" + secret).statusCode()).isEqualTo(404);
		JsonNode gallery = ApiClient.json(anonymous().get("/api/gallery/videos?q=Republished&size=100"));
		assertThat(gallery.path("total").asInt()).isZero();
	}

	@Test
	void theSandboxStopsAReadOutsideTheJobFolderEvenWithoutTheFormatCheck() throws Exception {
		assertThat(sandbox.enabled()).as("bubblewrap is installed by ./videoforge; the suite runs with the sandbox required")
				.isTrue();
		// Someone else's segment, outside the job's folder.
		Path elsewhere = Files.createDirectories(temp.resolve("other-account"));
		Path clip = Media.testClip(elsewhere.resolve("clip.mp4"), "160x120", 1);
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-i", clip.toString(), "-c", "copy", "-f", "mpegts",
				elsewhere.resolve("secret.ts").toString()), 60);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		Path job = Files.createDirectories(temp.resolve("job"));
		Path playlist = job.resolve("source");
		Files.write(playlist, ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n" + elsewhere.resolve("secret.ts")
				+ "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
		// The format check bypassed: HLS forced, every protocol and extension allowed.
		List<String> decode = List.of("ffmpeg", "-v", "error", "-nostdin", "-allowed_extensions", "ALL", "-f", "hls", "-i",
				playlist.toString(), "-map", "0:v:0", "-f", "framemd5", "-");

		Media.Run outside = Media.run(decode, 60);
		assertThat(outside.exitCode()).as("without a sandbox the attack works: " + outside.stderr()).isZero();
		assertThat(frames(outside)).as("frames read from the other file").isPositive();

		Media.Run inside = Media.run(sandbox.wrap(decode, List.of(), List.of(job)), 60);
		assertThat(frames(inside)).as("no frame of the other file inside the sandbox").isZero();
		assertThat(inside.exitCode()).as(inside.stderr()).isNotZero();
		assertThat(inside.stderr()).containsAnyOf("No such file", "Failed to open", "Error when loading first segment");

		// Nor can it see the server's own secrets or other uploads.
		Media.Run secrets = Media.run(sandbox.wrap(List.of("ffprobe", "-v", "error", "-f", "tty", "-i",
				data.resolve("secrets/jwt.key").toString()), List.of(), List.of(job)), 30);
		assertThat(secrets.exitCode()).isNotZero();
		assertThat(secrets.stderr()).contains("No such file");
	}

	private static long frames(Media.Run framemd5) {
		return framemd5.stdout().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
	}

	private static byte[] hls(String init, String segment) {
		return ("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"" + init
				+ "\"\n#EXTINF:2.0,\n" + segment + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] dash(String init, String segment) {
		return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
				+ "mediaPresentationDuration=\"PT2S\" minBufferTime=\"PT1S\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\">"
				+ "<Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"v\" bandwidth=\"100000\" width=\"320\" height=\"240\">"
				+ "<SegmentList timescale=\"1\" duration=\"2\"><Initialization sourceURL=\"" + init + "\"/><SegmentURL media=\""
				+ segment + "\"/></SegmentList></Representation></AdaptationSet></Period></MPD>\n").getBytes(StandardCharsets.UTF_8);
	}

	private Path picture(String extension) throws Exception {
		Path target = temp.resolve("picture." + extension);
		if (!Files.exists(target)) {
			Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-frames:v",
					extension.equals("gif") ? "5" : "1", target.toString()), 60);
			assertThat(made.exitCode()).as(made.stderr()).isZero();
		}
		return target;
	}
}
