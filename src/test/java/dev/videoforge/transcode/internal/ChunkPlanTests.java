package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where chunks start and end: whole segments of whole frames, the last one taking what is left. */
class ChunkPlanTests {

	private static ChunkPlan plan(double seconds, FrameRate frameRate, int gop) {
		MediaInfo info = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", seconds, null, null, List.of(), List.of());
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("360p", 640, 360, 800)), 0, frameRate, gop, false, false,
				new Plan.Poster(1, 640, 360), new Plan.Storyboard(1, 1, 1, 1, 160, 90)), List.of(), seconds);
		return ChunkPlan.of("p", "v", info, plan, seconds + 1, 4, 40);
	}

	@Test
	void chunksAreWholeSegmentsOfWholeFramesAndNumberSegmentsOnFromTheFirst() {
		ChunkPlan plan = plan(125, new FrameRate(30, 1), 120);
		assertThat(plan.segmentsPerChunk()).isEqualTo(10);
		assertThat(plan.framesPerChunk()).isEqualTo(1200);
		assertThat(plan.chunks()).isEqualTo(4);
		assertThat(plan.startSeconds(1)).isEqualTo(40.0);
		assertThat(plan.firstSegment(3)).isEqualTo(30);
		assertThat(plan.lengthSeconds(3)).as("the last takes what is left").isEqualTo(5.0);
		assertThat(plan.startTicks(2, 15360)).isEqualTo(80 * 15360L);
	}

	@Test
	void aLastPieceShorterThanASegmentJoinsTheChunkBeforeIt() {
		ChunkPlan plan = plan(121, new FrameRate(30, 1), 120);
		assertThat(plan.chunks()).isEqualTo(3);
		assertThat(plan.lengthSeconds(2)).isEqualTo(41.0);
	}

	@Test
	void ntscRatesStartChunksOnExactFrameBoundaries() {
		ChunkPlan plan = plan(300, new FrameRate(30000, 1001), 120);
		// 1200 frames of 1001/30000 s: 40.04 s, and in the 30000 timescale exactly 1200 x 1001 ticks.
		assertThat(plan.startSeconds(1)).isCloseTo(40.04, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(plan.startTicks(1, 30000)).isEqualTo(1200L * 1001);
		assertThat(plan.chunks()).as("8991 frames: 7 whole chunks and 591 frames").isEqualTo(8);
	}
}
