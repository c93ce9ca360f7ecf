package dev.videoforge.transcode.internal;

import dev.videoforge.media.MediaInfo;

/**
 * How one long video is cut: {@code chunks} pieces of {@code framesPerChunk} frames (a whole
 * number of segments, so of keyframe intervals) at the plan's constant frame rate, the last one
 * taking what is left. Chunk {@code i} starts at frame {@code i * framesPerChunk}, which is exactly
 * {@link #startSeconds(int)}, and its first segment is number {@code i * segmentsPerChunk}: segment
 * numbers run on across chunks as in a single pass. {@code planId} tells this plan's jobs from those
 * of an earlier attempt.
 */
record ChunkPlan(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
		int segmentsPerChunk, int framesPerChunk, int chunks) {

	static ChunkPlan of(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
			int chunkSeconds) {
		int segmentsPerChunk = Math.max(1, (int) Math.round(chunkSeconds / (double) segmentSeconds));
		int framesPerChunk = plan.pictures().gopFrames() * segmentsPerChunk;
		double media = Math.min(info.durationSeconds(), limitSeconds);
		long frames = Math.max(1, Math.round(media * plan.fps()));
		// A last piece shorter than a segment joins the chunk before it.
		int chunks = (int) Math.max(1, (frames - plan.pictures().gopFrames()) / framesPerChunk + 1);
		if ((long) (chunks - 1) * framesPerChunk >= frames) {
			chunks--;
		}
		return new ChunkPlan(planId, videoId, info, plan, limitSeconds, segmentSeconds, segmentsPerChunk, framesPerChunk,
				Math.max(1, chunks));
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
