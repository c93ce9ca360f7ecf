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
		return of(planId, videoId, info, plan, limitSeconds, segmentSeconds, chunkSeconds, 1);
	}

	/**
	 * As {@link #of(String, String, MediaInfo, Plan, double, int, int)}, for a fleet that runs
	 * {@code slots} jobs at once. A video of a few chunks is cut into a multiple of {@code slots}
	 * chunks of about equal length instead (never shorter than half of {@code chunkSeconds}): three
	 * 40 s chunks on two processors end when one of them has encoded 80 s, four of 30 s when each
	 * has encoded 60 s. With many chunks a slot each, what is left over weighs little and the
	 * chunks keep their length.
	 */
	static ChunkPlan of(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
			int chunkSeconds, int slots) {
		int segmentsPerChunk = Math.max(1, (int) Math.round(chunkSeconds / (double) segmentSeconds));
		double media = Math.min(info.durationSeconds(), limitSeconds);
		long frames = Math.max(1, Math.round(media * plan.fps()));
		int gop = plan.pictures().gopFrames();
		long segments = (frames + gop - 1) / gop;
		long wanted = Math.max(1, Math.round(segments / (double) segmentsPerChunk));
		if (slots > 1 && wanted < 4L * slots && wanted % slots != 0) {
			long balanced = (wanted + slots - 1) / slots * slots;
			int balancedSegments = (int) ((segments + balanced - 1) / balanced);
			if (balancedSegments * 2 >= segmentsPerChunk) {
				segmentsPerChunk = balancedSegments;
			}
		}
		int framesPerChunk = gop * segmentsPerChunk;
		// A last piece shorter than a segment joins the chunk before it.
		int chunks = (int) Math.max(1, (frames - gop) / framesPerChunk + 1);
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
