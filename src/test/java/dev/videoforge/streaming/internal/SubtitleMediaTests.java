package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.catalog.CaptionTrack;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubtitleMediaTests {

	private static final String MASTER = """
			#EXTM3U
			#EXT-X-VERSION:7
			#EXT-X-INDEPENDENT-SEGMENTS
			#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.640028,mp4a.40.2"
			360p/index.m3u8
			#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.640028,mp4a.40.2"
			240p/index.m3u8
			""";

	@Test
	void listsEveryTrackAndNamesTheGroupOnEveryVariant() {
		List<CaptionTrack> tracks = List.of(new CaptionTrack("en", "English \"CC\"", "uploaded", Instant.EPOCH),
				new CaptionTrack("pt-BR", "Português", "embedded", Instant.EPOCH));
		assertThat(SubtitleMedia.addTo(MASTER, tracks)).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-INDEPENDENT-SEGMENTS
				#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English 'CC'",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="captions/en/index.m3u8"
				#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Português",LANGUAGE="pt-BR",DEFAULT=NO,AUTOSELECT=YES,URI="captions/pt-br/index.m3u8"
				#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.640028,mp4a.40.2",SUBTITLES="subs"
				360p/index.m3u8
				#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.640028,mp4a.40.2",SUBTITLES="subs"
				240p/index.m3u8
				""");
	}

	@Test
	void leavesTheMasterAsItIsWithoutTracks() {
		assertThat(SubtitleMedia.addTo(MASTER, List.of())).isEqualTo(MASTER);
	}

	@Test
	void theVersionChangesWithTheTracks() {
		var en = new CaptionTrack("en", "English", "uploaded", Instant.EPOCH);
		var enAgain = new CaptionTrack("en", "English", "uploaded", Instant.EPOCH.plusSeconds(1));
		assertThat(SubtitleMedia.version(List.of(en))).isNotEqualTo(SubtitleMedia.version(List.of(enAgain)))
				.isNotEqualTo(SubtitleMedia.version(List.of(en, new CaptionTrack("fr", "Français", "uploaded", Instant.EPOCH))));
	}

	@Test
	void captionFilesAreAllowedOnlyInALanguageFolder() {
		for (String ok : new String[] { "/captions/en/full.vtt", "/captions/pt-br/index.m3u8", "/captions/zh-hant-tw/s12.vtt",
				"/captions/en-x-s3/s0.vtt", "/master.m3u8", "/storyboard.vtt" }) {
			assertThat(StreamController.allowed(ok)).as(ok).isTrue();
		}
		for (String bad : new String[] { "/captions/../full.vtt", "/captions/en/../../x.vtt", "/captions/EN/full.vtt",
				"/captions/en/other.vtt", "/captions/en/s1.m4s", "/captions/en--us/full.vtt", "/captions/-en/full.vtt",
				"/captions/en/sub/s1.vtt", "/captions/toolongsubtag/full.vtt", "/captions/en/s1.vtt/", "/captions//full.vtt" }) {
			assertThat(StreamController.allowed(bad)).as(bad).isFalse();
		}
	}
}
