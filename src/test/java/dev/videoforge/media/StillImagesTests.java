package dev.videoforge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The poster commands as data, and finding the segment that holds a time. */
class StillImagesTests {

	@Test
	void anUploadedImageIsProbedAmongThreeImageDemuxersOnlyWithAPixelLimit() {
		assertThat(StillImages.ImageCommands.probe("ffprobe", Path.of("/w/upload"), 40_000_000)).containsExactly("ffprobe",
				"-v", "error", "-max_pixels", "40000000", "-format_whitelist", "jpeg_pipe,png_pipe,webp_pipe",
				"-protocol_whitelist", "file", "-print_format", "json", "-show_entries",
				"format=format_name:stream=codec_type,codec_name,width,height", "-i", "file:/w/upload");
	}

	@Test
	void anUploadedImageIsRedrawnWithItsDemuxerPinned() {
		assertThat(StillImages.ImageCommands.imageToJpeg("ffmpeg", Path.of("/w/upload"), "png_pipe", 1280, 720, 40_000_000,
				Path.of("/w/poster.jpg"))).containsExactly("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-xerror",
						"-max_pixels", "40000000", "-f", "png_pipe", "-format_whitelist", "png_pipe", "-protocol_whitelist", "file",
						"-i", "file:/w/upload", "-map", "0:v:0", "-frames:v", "1", "-vf",
						"scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,setsar=1,format=yuvj420p",
						"-map_metadata", "-1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1",
						"file:/w/poster.jpg");
		assertThatThrownBy(() -> StillImages.ImageCommands.imageToJpeg("ffmpeg", Path.of("/w/upload"), "image2", 1, 1, 1,
				Path.of("/w/p.jpg"))).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aFrameIsTakenFromOneSegmentWithTheMovDemuxerPinned() {
		assertThat(StillImages.ImageCommands.frameAt("ffmpeg", Path.of("/w/segment.mp4"), 1.25, 640, 360,
				Path.of("/w/poster.jpg"))).containsExactly("ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "mov",
						"-format_whitelist", "mov", "-protocol_whitelist", "file", "-enable_drefs", "0", "-i",
						"file:/w/segment.mp4", "-ss", "1.250", "-map", "0:v:0", "-frames:v", "1", "-vf",
						"scale=640:360,setsar=1,format=yuvj420p", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1",
						"file:/w/poster.jpg");
	}

	static final String PLAYLIST = """
			#EXTM3U
			#EXT-X-VERSION:7
			#EXT-X-TARGETDURATION:2
			#EXT-X-MAP:URI="init.mp4"
			#EXTINF:2.000000,
			seg_00000.m4s
			#EXTINF:2.000000,
			seg_00001.m4s
			#EXTINF:0.500000,
			seg_00002.m4s
			#EXT-X-ENDLIST
			""";

	@Test
	void theSegmentHoldingATimeIsFound() {
		assertThat(StillImages.HlsSegment.at(PLAYLIST, 0)).isEqualTo(new StillImages.HlsSegment("init.mp4", "seg_00000.m4s", 0));
		assertThat(StillImages.HlsSegment.at(PLAYLIST, 1.999)).isEqualTo(new StillImages.HlsSegment("init.mp4", "seg_00000.m4s", 0));
		assertThat(StillImages.HlsSegment.at(PLAYLIST, 2.0)).isEqualTo(new StillImages.HlsSegment("init.mp4", "seg_00001.m4s", 2));
		assertThat(StillImages.HlsSegment.at(PLAYLIST, 4.2)).isEqualTo(new StillImages.HlsSegment("init.mp4", "seg_00002.m4s", 4));
		assertThat(StillImages.HlsSegment.at(PLAYLIST, 99)).as("past the end: the last")
				.isEqualTo(new StillImages.HlsSegment("init.mp4", "seg_00002.m4s", 4));
	}

	@Test
	void aPlaylistNamingOtherPathsIsNotOurs() {
		assertThatThrownBy(() -> StillImages.HlsSegment.at(PLAYLIST.replace("seg_00000.m4s", "../../secrets/jwt.key"), 0))
				.isInstanceOf(NotMediaException.class);
		assertThatThrownBy(() -> StillImages.HlsSegment.at(PLAYLIST.replace("init.mp4", "/etc/passwd"), 0))
				.isInstanceOf(NotMediaException.class);
		assertThatThrownBy(() -> StillImages.HlsSegment.at("#EXTM3U\n", 0)).isInstanceOf(NotMediaException.class);
	}
}
