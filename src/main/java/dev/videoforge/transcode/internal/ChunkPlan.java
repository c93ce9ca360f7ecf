package dev.videoforge.transcode.internal;

import dev.videoforge.media.MediaInfo;

/**
 * How one long video is cut: {@code chunks} pieces of {@code framesPerChunk} frames (a whole
 * number of segments, so of keyframe intervals) at the plan's constant frame rate, the last one
 * taking what is left. Chunk {@code i} starts at frame {@code i * framesPerChunk}, which is exactly
 * {@link #startSeconds(int)}, and its first segment is number {@code i * segmentsPerChunk}: segment
 * numbers run on across chunks as in a single pass. {@code planId} tells this plan's jobs from those
 * of an earlier attempt.
 *
 * <p>{@code firstQuality} names the quality made whole, in one pass, by the sound's job (the first
 * rendition: published as it is made, so the video plays within seconds); the chunks encode the
 * others. Null: the chunks encode every quality.
 */
record ChunkPlan(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
		int segmentsPerChunk, int framesPerChunk, int chunks, String firstQuality) {

	static ChunkPlan of(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
			int chunkSeconds) {
		return of(planId, videoId, info, plan, limitSeconds, segmentSeconds, chunkSeconds, 1);
	}

	/**
	 * As {@link #of(String, String, MediaInfo, Plan, double, int, int)}, for a fleet that runs
	 * {@code slots} jobs at once. A video of fewer than four chunks a slot gets the chunk length,
	 * from {@code chunkSeconds} down to half of it in whole segments, with which the fleet finishes
	 * first when each slot takes the next chunk as it is free: three 40 s chunks on two processors
	 * end when one of them has encoded 80 s, six of 20 s when each has encoded 60 s. With many
	 * chunks a slot, what is left over weighs little and the chunks keep their length.
	 */
	static ChunkPlan of(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
			int chunkSeconds, int slots) {
		int wanted = Math.max(1, (int) Math.round(chunkSeconds / (double) segmentSeconds));
		double media = Math.min(info.durationSeconds(), limitSeconds);
		long frames = Math.max(1, Math.round(media * plan.fps()));
		int gop = plan.pictures().gopFrames();
		int segmentsPerChunk = wanted;
		if (slots > 1 && count(frames, gop, (long) gop * wanted) < 4L * slots) {
			long best = finish(frames, gop, (long) gop * wanted, slots);
			for (int shorter = wanted - 1; shorter >= 1 && shorter * 2 >= wanted; shorter--) {
				long finish = finish(frames, gop, (long) gop * shorter, slots);
				if (finish < best) {
					best = finish;
					segmentsPerChunk = shorter;
				}
			}
		}
		int framesPerChunk = gop * segmentsPerChunk;
		return new ChunkPlan(planId, videoId, info, plan, limitSeconds, segmentSeconds, segmentsPerChunk, framesPerChunk,
				count(frames, gop, framesPerChunk), null);
	}

	/** The same cut, with {@code quality} (one of the plan's) made whole by the sound's job. */
	ChunkPlan withFirstQuality(Plan.Quality quality) {
		if (quality != null && !plan.qualities().contains(quality)) {
			throw new IllegalArgumentException(quality.name() + " is not one of the plan's qualities");
		}
		return new ChunkPlan(planId, videoId, info, plan, limitSeconds, segmentSeconds, segmentsPerChunk, framesPerChunk,
				chunks, quality == null ? null : quality.name());
	}

	/** What the chunks encode: every quality but the first rendition's, best first. */
	Plan chunkPlan() {
		return firstQuality == null ? plan
				: plan.withQualities(plan.qualities().stream().filter(q -> !q.name().equals(firstQuality)).toList());
	}

	/** What the sound's job makes: the sound, and the first rendition's quality when there is one. */
	Plan soundPlan() {
		return plan.withQualities(plan.qualities().stream().filter(q -> q.name().equals(firstQuality)).toList());
	}

	/** How many chunks of {@code framesPerChunk} frames; a last piece shorter than a segment joins the chunk before it. */
	private static int count(long frames, int gop, long framesPerChunk) {
		long chunks = Math.max(1, (frames - gop) / framesPerChunk + 1);
		if ((chunks - 1) * framesPerChunk >= frames) {
			chunks--;
		}
		return (int) Math.max(1, chunks);
	}

	/** When (in frames encoded by the busiest slot) {@code slots} slots finish the chunks, each taking the next as it is free. */
	private static long finish(long frames, int gop, long framesPerChunk, int slots) {
		int chunks = count(frames, gop, framesPerChunk);
		long[] busy = new long[slots];
		for (int i = 0; i < chunks; i++) {
			int free = 0;
			for (int slot = 1; slot < slots; slot++) {
				if (busy[slot] < busy[free]) {
					free = slot;
				}
			}
			busy[free] += i == chunks - 1 ? frames - (long) i * framesPerChunk : framesPerChunk;
		}
		return java.util.Arrays.stream(busy).max().orElse(frames);
	}

	/** Where chunk {@code index} starts, in seconds of the video: a frame boundary of the constant rate. */
	double startSeconds(int index) {
		return (double) index * framesPerChunk / plan.fps();
	}

	/** The chunk's start in ticks of a track whose timescale is {@code timescale}. */
	long startTicks(int index, long timescale) {
		return Math.round((double) index * framesPerChunk * timescale / plan.fps());
	}

	boolean last(int index) {
		return index == chunks - 1;
	}

	int firstSegment(int index) {
		return index * segmentsPerChunk;
	}

	/** The chunk's length in seconds of media (the last one: to the end). */
	double lengthSeconds(int index) {
		double media = Math.min(info.durationSeconds(), limitSeconds);
		return last(index) ? Math.max(0, media - startSeconds(index)) : framesPerChunk / plan.fps();
	}

	static String part(int index) {
		return String.format("chunk-%05d", index);
	}

	static final String AUDIO = "audio";
}
