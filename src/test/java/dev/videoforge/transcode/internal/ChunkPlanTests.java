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
	void withAFirstRenditionTheChunksMakeEveryOtherQualityAndTheSoundsJobThatOne() {
		MediaInfo info = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 60, null, null, List.of(), List.of());
		Plan.Quality q1080 = new Plan.Quality("1080p", 1920, 1080, 5000);
		Plan.Quality q480 = new Plan.Quality("480p", 854, 480, 1400);
		Plan.Quality q240 = new Plan.Quality("240p", 426, 240, 400);
		List<Plan.AudioTrack> sound = List.of(new Plan.AudioTrack("audio", 1, "en", "English", true));
		Plan plan = new Plan(new Plan.Pictures(List.of(q1080, q480, q240), 0, new FrameRate(30, 1), 120, false, false,
				new Plan.Poster(1, 640, 360), new Plan.Storyboard(1, 1, 1, 1, 160, 90)), sound, 60);
		ChunkPlan chunks = ChunkPlan.of("p", "v", info, plan, 61, 4, 20, 2).withFirstQuality(q480);
		assertThat(chunks.firstQuality()).isEqualTo("480p");
		assertThat(chunks.chunkPlan().qualities()).containsExactly(q1080, q240);
		assertThat(chunks.chunkPlan().audioTracks()).as("the tracks stay in the plan (a chunk's command maps none)").isEqualTo(sound);
		assertThat(chunks.soundPlan().qualities()).containsExactly(q480);
		assertThat(chunks.soundPlan().audioTracks()).isEqualTo(sound);
		assertThat(ChunkCommands.video("ffmpeg", chunks, 0, java.nio.file.Path.of("/in"), java.nio.file.Path.of("/out"), "veryfast"))
				.contains("v:0,name:1080p v:1,name:240p");

		ChunkPlan without = ChunkPlan.of("p", "v", info, plan, 61, 4, 20, 2);
		assertThat(without.firstQuality()).isNull();
		assertThat(without.chunkPlan().qualities()).containsExactly(q1080, q480, q240);
		assertThat(without.soundPlan().qualities()).isEmpty();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> without.withFirstQuality(new Plan.Quality("720p", 1280, 720, 2800)))
				.isInstanceOf(IllegalArgumentException.class);
	}

	/**
	 * A chunk reads from the keyframe before its start with every frame kept (not ffmpeg's exact
	 * seek, which drops the frames before the start, among them the one a single pass shows at the
	 * start of a variable-rate source), through the single pass's own graph, which begins its constant
	 * rate at the chunk's start; a frame count ends it, the last one its length from its start.
	 */
	@Test
	void aChunkReadsFromTheKeyframeBeforeItsStartThroughTheSinglePasssGraph() {
		ChunkPlan plan = plan(125, new FrameRate(30, 1), 120);
		List<String> second = ChunkCommands.video("ffmpeg", plan, 1, java.nio.file.Path.of("/in"), java.nio.file.Path.of("/out"), "veryfast");
		assertThat(second.subList(second.indexOf("-noaccurate_seek"), second.indexOf("-noaccurate_seek") + 5))
				.containsExactly("-noaccurate_seek", "-ss", "40.000000", "-i", "file:/in");
		assertThat(second).as("an input limit would count from the keyframe").doesNotContain("-t", "-to");
		assertThat(second.get(second.indexOf("-filter_complex") + 1)).startsWith(FfmpegCommand.pictureChain(plan.plan()))
				.contains("fps=30:start_time=0:eof_action=pass,");
		assertThat(second.get(second.indexOf("-frames:v") + 1)).isEqualTo("1200");
		List<String> last = ChunkCommands.video("ffmpeg", plan, 3, java.nio.file.Path.of("/in"), java.nio.file.Path.of("/out"), "veryfast");
		assertThat(last).doesNotContain("-frames:v");
		assertThat(last.get(last.indexOf("-t") + 1)).as("to the limit (126 s), from the start (120 s)").isEqualTo("6.000000");
		assertThat(last.indexOf("-t")).as("an output option").isGreaterThan(last.indexOf("-i"));
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
	void aFewChunksGetTheLengthWithWhichTheFleetFinishesFirst() {
		// 120 s at 30 fps, 4 s segments, 40 s chunks: three on two processors are 80 s for one, 40 for the other.
		assertThat(perSlot(plan(120, new FrameRate(30, 1), 120, 1), 2)).containsExactly(40.0, 80.0);
		ChunkPlan two = plan(120, new FrameRate(30, 1), 120, 2);
		assertThat(two.segmentsPerChunk()).as("20 s chunks, half the setting at the least").isEqualTo(5);
		assertThat(two.chunks()).isEqualTo(6);
		assertThat(perSlot(two, 2)).containsExactly(60.0, 60.0);
		// 125 s: not 40+40+40+5 but four of 32 s.
		assertThat(perSlot(plan(125, new FrameRate(30, 1), 120, 2), 2)).containsExactly(61.0, 64.0);
		// 170 s on two slots: not 40+40+40+40+10 (90 s for one), but 36 s chunks or shorter.
		assertThat(perSlot(plan(170, new FrameRate(30, 1), 120, 2), 2).get(1)).isLessThanOrEqualTo(88.0);
		// Three slots, 200 s (five 40 s chunks, 80 s for two of them).
		ChunkPlan three = plan(200, new FrameRate(30, 1), 120, 3);
		assertThat(perSlot(three, 3).get(2)).isEqualTo(72.0);
	}

	@Test
	void theFleetNeverFinishesLaterAndNoChunkIsShorterThanHalfTheSetting() {
		for (int slots = 2; slots <= 8; slots++) {
			for (int seconds = 60; seconds <= 700; seconds++) {
				ChunkPlan as = plan(seconds, new FrameRate(30, 1), 120, 1);
				ChunkPlan cut = plan(seconds, new FrameRate(30, 1), 120, slots);
				List<Double> before = perSlot(as, slots);
				List<Double> after = perSlot(cut, slots);
				assertThat(after.get(slots - 1)).as("%d s on %d slots: busiest slot", seconds, slots)
						.isLessThanOrEqualTo(before.get(slots - 1));
				assertThat(cut.segmentsPerChunk()).as("%d s on %d slots", seconds, slots).isBetween(5, 10);
				assertThat(cut.chunks() * cut.framesPerChunk()).as("%d s on %d slots: every frame in a chunk", seconds, slots)
						.isGreaterThanOrEqualTo(seconds * 30 - cut.framesPerChunk() + 1);
				assertThat(cut.lengthSeconds(cut.chunks() - 1)).as("%d s on %d slots: the last chunk", seconds, slots).isPositive();
			}
		}
	}

	@Test
	void manyChunksASlotKeepTheirLength() {
		// 400 s on two slots: ten chunks, already even.
		assertThat(plan(400, new FrameRate(30, 1), 120, 2).segmentsPerChunk()).isEqualTo(10);
		// 900 s on two slots: 23 chunks, more than four a slot: left as they are.
		assertThat(plan(900, new FrameRate(30, 1), 120, 2).segmentsPerChunk()).isEqualTo(10);
		// 100 s on eight slots: three chunks of 40 s, or five of 20 s (half the setting), never shorter.
		assertThat(plan(100, new FrameRate(30, 1), 120, 8).segmentsPerChunk()).isEqualTo(5);
	}

	/**
	 * The percent a user sees weighs each part by its work: a chunk by its length and pixels, the
	 * first rendition's job by its quality of the whole video and its own decode. Halfway through
	 * every part is 49 or 50 %, whichever part it is; no part stored yet but all running is not 0.
	 */
	@Test
	void thePercentWeighsEachPartByItsWork() {
		Plan.Quality q1080 = new Plan.Quality("1080p", 1920, 1080, 5000);
		Plan.Quality q720 = new Plan.Quality("720p", 1280, 720, 2800);
		Plan.Quality q360 = new Plan.Quality("360p", 640, 360, 800);
		MediaInfo info = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 300,
				new MediaInfo.VideoStream(0, "h264", 1920, 1080, 0, "yuv420p", 30, false, 8, 1, null), null, List.of(), List.of());
		Plan plan = new Plan(new Plan.Pictures(List.of(q1080, q720, q360), 0, new FrameRate(30, 1), 120, false, false,
				new Plan.Poster(1, 640, 360), new Plan.Storyboard(1, 1, 1, 1, 160, 90)),
				List.of(new Plan.AudioTrack("audio", 1, "en", "English", true)), 300);
		ChunkPlan chunks = ChunkPlan.of("p", "v", info, plan, 301, 4, 40, 2).withFirstQuality(q360);
		assertThat(chunks.chunks()).isEqualTo(8);

		// A 37.6 s chunk of 1080p and 720p against the whole video at 360p with the sound.
		double decode = ChunkPlan.DECODE_WEIGHT * 1920 * 1080 / 1e6;
		assertThat(chunks.weight(ChunkPlan.part(0))).isCloseTo(chunks.lengthSeconds(0) * (decode + (1920 * 1080 + 1280 * 720) / 1e6),
				org.assertj.core.data.Offset.offset(1e-9));
		assertThat(chunks.weight(ChunkPlan.AUDIO)).isCloseTo(300 * (ChunkPlan.SOUND_WEIGHT + decode + 640 * 360 / 1e6),
				org.assertj.core.data.Offset.offset(1e-9));

		assertThat(chunks.percent(java.util.Map.of())).isZero();
		java.util.Map<String, Double> half = new java.util.HashMap<>();
		half.put(ChunkPlan.AUDIO, 0.5);
		for (int i = 0; i < chunks.chunks(); i++) {
			half.put(ChunkPlan.part(i), 0.5);
		}
		assertThat(chunks.percent(half)).isBetween(49, 50);
		// The first rendition's job whole and nothing else: its share, far more than one part in nine.
		int first = chunks.percent(java.util.Map.of(ChunkPlan.AUDIO, 1.0));
		assertThat(first).isBetween(20, 30);
		// Every part stored: 99, the assembly is left.
		java.util.Map<String, Double> all = new java.util.HashMap<>();
		half.keySet().forEach(part -> all.put(part, 1.0));
		assertThat(chunks.percent(all)).isEqualTo(99);

		// Without a first rendition the sound's job weighs little.
		ChunkPlan plain = ChunkPlan.of("p", "v", info, plan, 301, 4, 40, 2);
		assertThat(plain.percent(java.util.Map.of(ChunkPlan.AUDIO, 1.0))).isBetween(1, 2);
	}
}
