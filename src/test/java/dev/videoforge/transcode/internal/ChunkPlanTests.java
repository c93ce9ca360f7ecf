package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where chunks start and end: whole segments of whole frames, the last one taking what is left. */
class ChunkPlanTests {

	private static ChunkPlan plan(double seconds, FrameRate frameRate, int gop) {
		return plan(seconds, frameRate, gop, 1);
	}

	private static ChunkPlan plan(double seconds, FrameRate frameRate, int gop, int slots) {
		MediaInfo info = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", seconds, null, null, List.of(), List.of());
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("360p", 640, 360, 800)), 0, frameRate, gop, false, false,
				new Plan.Poster(1, 640, 360), new Plan.Storyboard(1, 1, 1, 1, 160, 90)), List.of(), seconds);
		return ChunkPlan.of("p", "v", info, plan, seconds + 1, 4, 40, slots);
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

	/** Seconds of media each slot encodes when the chunks are handed out in order, a slot taking the next when free. */
	private static List<Double> perSlot(ChunkPlan plan, int slots) {
		double[] busy = new double[slots];
		for (int i = 0; i < plan.chunks(); i++) {
			int free = 0;
			for (int s = 1; s < slots; s++) {
				if (busy[s] < busy[free]) {
					free = s;
				}
			}
			busy[free] += plan.lengthSeconds(i);
		}
		return java.util.Arrays.stream(busy).boxed().sorted().toList();
	}

	@Test
	void aFewChunksAreCutIntoAMultipleOfTheFleetsSlotsOfAboutEqualLength() {
		// 120 s at 30 fps, 4 s segments, 40 s chunks: three on two processors would be 80 s for one, 40 for the other.
		assertThat(perSlot(plan(120, new FrameRate(30, 1), 120, 1), 2)).containsExactly(40.0, 80.0);
		ChunkPlan two = plan(120, new FrameRate(30, 1), 120, 2);
		assertThat(two.chunks()).isEqualTo(4);
		assertThat(two.segmentsPerChunk()).isEqualTo(8);
		assertThat(perSlot(two, 2)).containsExactly(56.0, 64.0);
		// 125 s: not 40+40+40+5 but four of 32 s and the rest.
		assertThat(perSlot(plan(125, new FrameRate(30, 1), 120, 2), 2)).containsExactly(61.0, 64.0);
		// Three slots, 200 s (five 40 s chunks): six of 36 s.
		ChunkPlan three = plan(200, new FrameRate(30, 1), 120, 3);
		assertThat(three.chunks()).isEqualTo(6);
		assertThat(perSlot(three, 3).get(2) - perSlot(three, 3).get(0)).as("spread between slots").isLessThanOrEqualTo(20.0);
	}

	@Test
	void manyChunksASlotOrAnEvenCountKeepTheirLength() {
		// 400 s on two slots: ten chunks, already even.
		assertThat(plan(400, new FrameRate(30, 1), 120, 2).segmentsPerChunk()).isEqualTo(10);
		// 900 s on two slots: 23 chunks, more than four a slot: left as they are.
		assertThat(plan(900, new FrameRate(30, 1), 120, 2).segmentsPerChunk()).isEqualTo(10);
		// A balanced cut would make them shorter than half the setting: left as they are.
		ChunkPlan wide = plan(100, new FrameRate(30, 1), 120, 8);
		assertThat(wide.segmentsPerChunk()).isEqualTo(10);
	}
}
