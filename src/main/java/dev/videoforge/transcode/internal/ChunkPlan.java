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
 *
 * <p>{@code original}: the sound's job also repackages the source's own pictures
 * ({@link OriginalRendition}), played until READY in place of a first rendition; the chunks then
 * encode every quality.
 */
record ChunkPlan(String planId, String videoId, MediaInfo info, Plan plan, double limitSeconds, int segmentSeconds,
		int segmentsPerChunk, int framesPerChunk, int chunks, String firstQuality, boolean original) {

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
				count(frames, gop, framesPerChunk), null, false);
	}

	/** The same cut, with {@code quality} (one of the plan's) made whole by the sound's job. */
	ChunkPlan withFirstQuality(Plan.Quality quality) {
		if (quality != null && !plan.qualities().contains(quality)) {
			throw new IllegalArgumentException(quality.name() + " is not one of the plan's qualities");
		}
		return new ChunkPlan(planId, videoId, info, plan, limitSeconds, segmentSeconds, segmentsPerChunk, framesPerChunk,
				chunks, quality == null ? null : quality.name(), original);
	}

	/** The same cut, with the source's own pictures repackaged by the sound's job (or not). */
	ChunkPlan withOriginal(boolean original) {
		return new ChunkPlan(planId, videoId, info, plan, limitSeconds, segmentSeconds, segmentsPerChunk, framesPerChunk,
				chunks, firstQuality, original);
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

	/**
	 * How much of the whole transcode a part is, in seconds of media times megapixels encoded a frame
	 * (what x264's work grows with), so that the percent a user sees moves evenly: a chunk weighs its
	 * length times its qualities' pixels plus the decode of the source; the sound's job its tracks,
	 * and with a first rendition that quality of the whole video and a second decode. The figures are
	 * the 5-minute bench's on one core (docs/BENCHMARKS.md, Fleet): its whole ladder cost 3.06 CPU s
	 * a second of video, of which decoding the 1080p source about 0.6 and five AAC encodes about 0.25,
	 * so scaling and x264 about 0.59 a megapixel a frame; a decode then weighs about half the
	 * source's megapixels, an AAC track about 0.08.
	 */
	double weight(String part) {
		double decode = DECODE_WEIGHT * sourceMegapixels();
		if (part.equals(AUDIO)) {
			double sound = SOUND_WEIGHT * plan.audioTracks().size();
			double first = firstQuality == null ? 0 : decode + megapixels(soundPlan());
			return media() * (sound + first);
		}
		int index = Integer.parseInt(part.substring("chunk-".length()));
		return lengthSeconds(index) * (decode + megapixels(chunkPlan()));
	}

	/**
	 * The percent done (0 to 99: the assembly is left) when each part named has done that fraction
	 * of its work; parts not named have done nothing.
	 */
	int percent(java.util.Map<String, Double> fractions) {
		double total = weight(AUDIO);
		double done = weight(AUDIO) * Math.clamp(fractions.getOrDefault(AUDIO, 0.0), 0, 1);
		for (int i = 0; i < chunks; i++) {
			double w = weight(part(i));
			total += w;
			done += w * Math.clamp(fractions.getOrDefault(part(i), 0.0), 0, 1);
		}
		return total <= 0 ? 0 : (int) Math.min(99, Math.floor(100 * done / total));
	}

	/** A decode of the source weighs this much of its megapixels a frame (see {@link #weight}). */
	static final double DECODE_WEIGHT = 0.5;

	/** One AAC track weighs as much as encoding this many megapixels a frame (see {@link #weight}). */
	static final double SOUND_WEIGHT = 0.08;

	private double media() {
		return Math.min(info.durationSeconds(), limitSeconds);
	}

	private double sourceMegapixels() {
		if (info.video() != null && info.video().width() > 0 && info.video().height() > 0) {
			return info.video().width() * (double) info.video().height() / 1e6;
		}
		return plan.qualities().isEmpty() ? 0 : megapixels(plan.withQualities(plan.qualities().subList(0, 1)));
	}

	private static double megapixels(Plan plan) {
		return plan.qualities().stream().mapToDouble(q -> q.width() * (double) q.height() / 1e6).sum();
	}

	static String part(int index) {
		return String.format("chunk-%05d", index);
	}

	static final String AUDIO = "audio";
}
