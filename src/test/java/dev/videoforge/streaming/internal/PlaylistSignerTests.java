package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaylistSignerTests {

	@Test
	void signsEveryUriOfAMediaPlaylist() {
		String playlist = """
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-TARGETDURATION:4
				#EXT-X-MAP:URI="init_1.mp4"
				#EXTINF:4.000000,
				seg_00000.m4s
				#EXTINF:2.000000,
				seg_00001.m4s
				#EXT-X-ENDLIST
				""";
		assertThat(PlaylistSigner.signPlaylist(playlist, "exp=9&kid=k1&sig=abc")).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:7
				#EXT-X-TARGETDURATION:4
				#EXT-X-MAP:URI="init_1.mp4?exp=9&kid=k1&sig=abc"
				#EXTINF:4.000000,
				seg_00000.m4s?exp=9&kid=k1&sig=abc
				#EXTINF:2.000000,
				seg_00001.m4s?exp=9&kid=k1&sig=abc
				#EXT-X-ENDLIST
				""");
	}

	@Test
	void signsTheVariantsOfAMasterPlaylist() {
		String master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n720p/index.m3u8\n";
		assertThat(PlaylistSigner.signPlaylist(master, "q=1"))
				.isEqualTo("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n720p/index.m3u8?q=1\n");
	}

	@Test
	void putsTheQueryBeforeTheSpriteFragmentOfCues() {
		String vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nstoryboard.jpg#xywh=0,0,160,90\n";
		assertThat(PlaylistSigner.signCues(vtt, "exp=1&sig=x"))
				.isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nstoryboard.jpg?exp=1&sig=x#xywh=0,0,160,90\n");
	}
}
