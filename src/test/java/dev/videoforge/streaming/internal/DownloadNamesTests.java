package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The download's Content-Disposition for friendly and hostile titles, and the remux as data. */
class DownloadNamesTests {

	@Test
	void aPlainTitleKeepsItsWords() {
		assertThat(DownloadNames.contentDisposition("Summer 2026", "720p"))
				.isEqualTo("attachment; filename=\"Summer-2026-720p.mp4\"; filename*=UTF-8''Summer%202026-720p.mp4");
	}

	@Test
	void otherScriptsGoInFilenameStarAndAnAsciiFallback() {
		assertThat(DownloadNames.contentDisposition("Café à Paris", "1080p")).isEqualTo(
				"attachment; filename=\"Cafe-a-Paris-1080p.mp4\"; filename*=UTF-8''Caf%C3%A9%20%C3%A0%20Paris-1080p.mp4");
		assertThat(DownloadNames.contentDisposition("東京", "360p"))
				.isEqualTo("attachment; filename=\"video-360p.mp4\"; filename*=UTF-8''%E6%9D%B1%E4%BA%AC-360p.mp4");
	}

	@Test
	void hostileTitlesCannotEndTheHeaderAddParametersOrNamePaths() {
		for (String title : List.of("a\"; filename=evil.exe", "x\r\nSet-Cookie: a=b", "../../etc/passwd", "..\\..\\boot.ini",
				"name\u202Egpj.exe", "semi;colon%41", "\u0000nul\u0007", "   ", "...", "\uD800lonely")) {
			String header = DownloadNames.contentDisposition(title, "720p");
			assertThat(header).as(title).doesNotContain("\r", "\n", "\u0000", "\u202E", "/", "\\", "..");
			String ascii = header.substring("attachment; filename=\"".length(), header.indexOf("\"; filename*="));
			assertThat(ascii).as(title).matches("[A-Za-z0-9._-]+-720p\\.mp4").doesNotStartWith(".");
			String star = header.substring(header.indexOf("filename*=UTF-8''") + 17);
			assertThat(star).as(title).matches("[A-Za-z0-9!#$&+.^_`|~%-]+").endsWith("-720p.mp4");
			assertThat(header.chars().filter(c -> c == '"').count()).as(title).isEqualTo(2);
			assertThat(header.chars().filter(c -> c == ';').count()).as(title).isEqualTo(2);
		}
		assertThat(DownloadNames.contentDisposition("   ", "720p")).startsWith("attachment; filename=\"video-720p.mp4\"");
	}

	@Test
	void longTitlesAreCut() {
		String header = DownloadNames.contentDisposition("x".repeat(5000), "720p");
		assertThat(header.length()).isLessThan(300);
	}

	@Test
	void theRemuxCopiesOurOwnPlaylistIntoAFaststartMp4() {
		assertThat(Mp4Downloads.remux("ffmpeg", java.util.List.of(Path.of("/d/r/720p/index.m3u8")), Path.of("/t/out/download.mp4")))
				.containsExactly("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "hls", "-format_whitelist",
						"hls,mov", "-protocol_whitelist", "file", "-i", "file:/d/r/720p/index.m3u8", "-map", "0:v:0?", "-map",
						"0:a:0?", "-c", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
						"file:/t/out/download.mp4");
		assertThat(Mp4Downloads.key("abc", "720p")).isEqualTo("renditions/abc/_download/720p.mp4");
	}

	@Test
	void theRemuxOfAQualityTakesItsPicturesAndTheDefaultAudioRendition() {
		assertThat(Mp4Downloads.remux("ffmpeg", java.util.List.of(Path.of("/d/r/720p/index.m3u8"), Path.of("/d/r/audio/index.m3u8")),
				Path.of("/t/out/download.mp4")))
				.containsExactly("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "hls", "-format_whitelist",
						"hls,mov", "-protocol_whitelist", "file", "-i", "file:/d/r/720p/index.m3u8", "-f", "hls",
						"-format_whitelist", "hls,mov", "-protocol_whitelist", "file", "-i", "file:/d/r/audio/index.m3u8", "-map",
						"0:v:0?", "-map", "1:a:0?", "-c", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
						"file:/t/out/download.mp4");
	}
}
