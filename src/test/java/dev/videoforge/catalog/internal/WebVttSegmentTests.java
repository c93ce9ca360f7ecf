package dev.videoforge.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The segmented WebVTT rendition: one segment per video segment, each with the cues that overlap it. */
class WebVttSegmentTests {

	private static final List<CaptionParser.Cue> CUES = List.of(new CaptionParser.Cue(500, 1500, "first"),
			new CaptionParser.Cue(3500, 4500, "spans"), new CaptionParser.Cue(4000, 4000 + 1, "edge"),
			new CaptionParser.Cue(9000, 9800, "last"));

	@Test
	void cutsOnTheVideosSegmentBoundaries() {
		WebVtt.Segmented out = WebVtt.segment(CUES, List.of(4.0, 4.0, 1.8), 9.8, 1_000_000);
		assertThat(out.segments()).hasSize(3);
		assertThat(out.playlist()).isEqualTo("""
				#EXTM3U
				#EXT-X-VERSION:3
				#EXT-X-TARGETDURATION:4
				#EXT-X-MEDIA-SEQUENCE:0
				#EXT-X-PLAYLIST-TYPE:VOD
				#EXTINF:4.000000,
				s0.vtt
				#EXTINF:4.000000,
				s1.vtt
				#EXTINF:1.800000,
				s2.vtt
				#EXT-X-ENDLIST
				""");
		String header = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n";
		assertThat(out.segments().get(0)).isEqualTo(header + "00:00:00.500 --> 00:00:01.500\nfirst\n\n"
				+ "00:00:03.500 --> 00:00:04.500\nspans\n\n");
		// A cue across the 4 s boundary is in both segments; one starting on it only in the second.
		assertThat(out.segments().get(1)).isEqualTo(header + "00:00:03.500 --> 00:00:04.500\nspans\n\n"
				+ "00:00:04.000 --> 00:00:04.001\nedge\n\n");
		assertThat(out.segments().get(2)).isEqualTo(header + "00:00:09.000 --> 00:00:09.800\nlast\n\n");
	}

	@Test
	void aSegmentWithoutCuesIsAnEmptyWebVttFile() {
		WebVtt.Segmented out = WebVtt.segment(List.of(new CaptionParser.Cue(100, 200, "x")), List.of(2.0, 2.0), 4, 1_000_000);
		assertThat(out.segments()).hasSize(2);
		assertThat(out.segments().get(1)).isEqualTo("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n");
	}

	@Test
	void cuesInTheMarginAfterTheLastBoundaryGoToTheLastSegment() {
		WebVtt.Segmented out = WebVtt.segment(List.of(new CaptionParser.Cue(5200, 6000, "credits")), List.of(4.0, 1.0), 5, 1_000_000);
		assertThat(out.segments()).hasSize(2);
		assertThat(out.segments().get(1)).contains("credits");
		assertThat(out.segments().get(0)).doesNotContain("credits");
	}

	@Test
	void targetDurationCoversTheLongestSegmentAndIsAtLeastOne() {
		assertThat(WebVtt.segment(CUES, List.of(4.2, 4.0), 8.2, 1_000_000).playlist()).contains("#EXT-X-TARGETDURATION:5\n");
		assertThat(WebVtt.segment(CUES, List.of(0.3), 0.3, 1_000_000).playlist()).contains("#EXT-X-TARGETDURATION:1\n");
	}

	@Test
	void readsTheLengthsOfAVideoPlaylist() {
		assertThat(WebVtt.segmentLengths("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.004000,\nseg_00000.m4s\n#EXTINF:1.5,\nseg_00001.m4s\n"))
				.containsExactly(4.004, 1.5);
	}

	@Test
	void refusesCuesThatWouldBeCopiedIntoMostOfAVeryLongVideosSegments() {
		// 1,000 cues of 500 characters that each last two hours, against 1,800 four-second segments:
		// about 900 MB of segments from a half-megabyte file.
		List<CaptionParser.Cue> whole = Collections.nCopies(1000, new CaptionParser.Cue(0, 7_200_000, "x".repeat(500)));
		List<Double> segments = Collections.nCopies(1800, 4.0);
		assertThatThrownBy(() -> WebVtt.segment(whole, segments, 7200, 16_000_000)).isInstanceOf(WebVtt.TooLarge.class);
		// The same cues, each in one segment, fit.
		List<CaptionParser.Cue> spread = java.util.stream.IntStream.range(0, 1000)
				.mapToObj(i -> new CaptionParser.Cue(i * 7000L, i * 7000L + 3000, "x".repeat(500))).toList();
		assertThat(WebVtt.segment(spread, segments, 7200, 16_000_000).segments()).hasSize(1800);
	}
}
