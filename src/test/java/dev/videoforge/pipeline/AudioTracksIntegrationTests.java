package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Audio once (issue #11): each audio track of the source is encoded once into its own audio-only
 * rendition, named in the master playlist's audio group with the language and name its tags give
 * (checked: a quote in a title cannot break the playlist), and every quality plays with it.
 */
class AudioTracksIntegrationTests extends AppIntegrationTest {

	private static final Pattern AUDIO_MEDIA = Pattern.compile(
			"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"([^\"]*)\",LANGUAGE=\"([^\"]*)\",DEFAULT=(YES|NO),"
					+ "AUTOSELECT=YES,CHANNELS=\"2\",URI=\"([a-z0-9]+)/index\\.m3u8\"");

	@Test
	void aSourceWithThreeAudioTracksGetsThreeAudioRenditionsWithTheirLanguagesAndNames() throws Exception {
		Path source = Files.createTempDirectory("audio-tracks-it-").resolve("three tracks.mkv");
		Media.Run made = Media.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
				"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-f", "lavfi", "-i",
				"sine=frequency=660:sample_rate=44100", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", "4",
				"-map", "0", "-map", "1", "-map", "2", "-map", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
				"-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=English",
				"-metadata:s:a:1", "language=fre", "-metadata:s:a:1", "title=Français",
				"-metadata:s:a:2", "language=ger", "-metadata:s:a:2", "title=Director \"cut\"\nURI=x",
				source.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
		Renditions.Decoded decodedSource = Renditions.decode(source.toString());

		ApiClient owner = newUser("tracks");
		String id = owner.tusUpload(source, "Three tracks", "PUBLIC", 1 << 20).videoId();
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");

		// Video JSON: the tracks, in the source's order, the first the default; they are no qualities.
		List<String> tracks = new ArrayList<>();
		video.path("audioTracks").forEach(t -> tracks.add(t.path("name").asString() + "|" + t.path("language").asString() + "|"
				+ t.path("label").asString() + "|" + t.path("default").asBoolean()));
		assertThat(tracks).containsExactly("audio|en|English|true", "audio2|fr|Français|false", "audio3|de|Director cut URI=x|false");
		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		assertThat(qualities).containsExactly("360p", "240p");
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		List<String> listed = new ArrayList<>();
		listing.path("qualities").forEach(q -> listed.add(q.path("name").asString()));
		assertThat(listed).isEqualTo(qualities);

		// The master: one EXT-X-MEDIA per track, and every variant names the group and counts its codec.
		String masterUrl = owner.base() + listing.path("masterUrl").asString();
		String master = owner.get(listing.path("masterUrl").asString()).body();
		List<String> media = new ArrayList<>();
		Matcher m = AUDIO_MEDIA.matcher(master);
		while (m.find()) {
			media.add(m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4));
		}
		assertThat(media).as(master).containsExactly("English|en|YES|audio", "Français|fr|NO|audio2",
				"Director cut URI=x|de|NO|audio3");
		assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList()).as(master).hasSize(2)
				.allSatisfy(l -> assertThat(l).containsPattern("CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\",AUDIO=\"audio\""));
		assertThat(master).doesNotContain("audio/index.m3u8\n#EXT-X-STREAM-INF").doesNotContainPattern("(?m)^audio\\d*/");

		// Each audio rendition decodes to sound as long as the media, and holds no pictures; the
		// qualities hold pictures and no sound.
		for (String name : List.of("audio", "audio2", "audio3")) {
			Renditions.Decoded sound = Renditions.assertRendition(masterUrl.replace("master.m3u8", name + "/index.m3u8"),
					decodedSource, false);
			assertThat(sound.audio().sampleRate()).as("%s", sound).isEqualTo(48000);
			assertThat(sound.audio().sampleSeconds()).as("%s", sound).isBetween(3.9, 4.1);
		}
		for (JsonNode quality : listing.path("qualities")) {
			Renditions.assertRendition(owner.base() + quality.path("url").asString(), decodedSource, true);
		}

		// A player (ffmpeg's HLS demuxer) opening the master gets pictures and sound.
		Renditions.Decoded played = Renditions.decode(masterUrl);
		assertThat(played.errors()).as("%s", played).isBlank();
		assertThat(played.hasVideo()).as("%s", played).isTrue();
		assertThat(played.hasAudio()).as("%s", played).isTrue();
		assertThat(played.video().seconds()).as("%s", played).isBetween(3.8, 4.2);
		assertThat(played.audio().sampleSeconds()).as("%s", played).isBetween(3.9, 4.1);
	}
}
