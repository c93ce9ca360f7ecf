package dev.videoforge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allowlist decisions: which ffprobe format names are media, which are never media whatever
 * the settings say (each class of the issue #10 attacks), and the arguments that pin a demuxer.
 */
class ContainerFormatsTests {

	/** The product's default allowlist, bound from {@link MediaSettings} as Spring binds it. */
	private final ContainerFormats defaults = new ContainerFormats(MediaProbeTests.settings(Map.of()).formats());

	@Test
	void pinsTheFirstDemuxerNameOfAnAllowedFormat() {
		assertThat(defaults.pin("mov,mp4,m4a,3gp,3g2,mj2")).contains("mov");
		assertThat(defaults.pin("matroska,webm")).contains("matroska");
		assertThat(defaults.pin("mpegts")).contains("mpegts");
		assertThat(defaults.pin("mp3")).contains("mp3");
		assertThat(defaults.pin(" MOV , mp4")).as("as ffprobe might case or space it").contains("mov");
	}

	@Test
	void aFormatNobodyListedIsNotMedia() {
		assertThat(defaults.pin("wtv")).isEmpty();
		assertThat(defaults.pin("")).isEmpty();
		assertThat(defaults.pin(null)).isEmpty();
	}

	/** Each class of attack: playlists and manifests, scripts, image sequences and pipes, text, subtitles, SVG. */
	@ParameterizedTest
	@ValueSource(strings = { "hls", "applehttp", "dash", "concat", "image2", "image2pipe", "png_pipe", "jpeg_pipe",
			"svg_pipe", "tty", "bin", "xbin", "idf", "adf", "ansi", "sbg", "srt", "subrip", "ass", "ssa", "webvtt", "microdvd",
			"svg", "lavfi", "ffmetadata", "http", "rtsp", "sdp" })
	void neverPinsAnAttackFormatEvenWhenTheSettingsListIt(String demuxer) {
		assertThat(defaults.pin(demuxer)).as("with the default allowlist").isEmpty();
		ContainerFormats permissive = new ContainerFormats(List.of("mov", demuxer));
		assertThat(permissive.pin(demuxer)).as("with %s in the settings", demuxer).isEmpty();
		assertThat(Arrays.asList(permissive.whitelist().split(","))).as("ffprobe's whitelist").containsExactly("mov");
	}

	@Test
	void aFormatListThatNamesAnyForbiddenDemuxerIsRefusedWhole() {
		// A made-up demuxer that claims to be both: one forbidden name is enough.
		assertThat(defaults.pin("mov,hls")).isEmpty();
		assertThat(defaults.pin("matroska,image2")).isEmpty();
		assertThat(defaults.pin("mp3,gif_pipe")).isEmpty();
	}

	@Test
	void theDefaultWhitelistHoldsOnlyMediaContainers() {
		List<String> whitelist = Arrays.asList(defaults.whitelist().split(","));
		assertThat(whitelist).contains("mov", "matroska", "mpegts", "mp3", "ogg", "flac", "wav");
		assertThat(whitelist).doesNotContainAnyElementsOf(ContainerFormats.NEVER);
		assertThat(whitelist).noneMatch(name -> name.endsWith("_pipe"));
	}

	@Test
	void theSettingsAreCleanedButKeepTheirOrder() {
		ContainerFormats formats = new ContainerFormats(List.of(" Matroska ", "mov", "", "MOV", "concat"));
		assertThat(formats.whitelist()).isEqualTo("matroska,mov");
	}

	@Test
	void refusesSettingsThatLeaveNothingAllowed() {
		assertThatThrownBy(() -> new ContainerFormats(List.of("hls", "concat", "png_pipe", " ")))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("videoforge.media.formats");
	}

	@Test
	void pinnedInputAllowsOnlyTheDemuxerAndLocalFiles() {
		assertThat(ContainerFormats.pinnedInput("matroska")).containsExactly("-f", "matroska", "-format_whitelist", "matroska",
				"-protocol_whitelist", "file");
	}

	@Test
	void pinnedQuickTimeInputFollowsNoDataReferences() {
		assertThat(ContainerFormats.pinnedInput("mov")).containsExactly("-f", "mov", "-format_whitelist", "mov",
				"-protocol_whitelist", "file", "-enable_drefs", "0");
	}
}
