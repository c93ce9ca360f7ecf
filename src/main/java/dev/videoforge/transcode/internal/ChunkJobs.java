package dev.videoforge.transcode.internal;

import dev.videoforge.queue.JobType;
import dev.videoforge.queue.Queues;

/**
 * The job kinds of a chunked transcode, on the transcode queue beside the video's first job:
 * every processor runs every kind, so the fleet shares one video's work.
 */
final class ChunkJobs {

	/** Encode every quality of one chunk of the video. */
	record Chunk(String videoId, String planId, int index) {
	}

	/** Encode the video's sound once, as its own renditions, and its poster. */
	record Audio(String videoId, String planId) {
	}

	/** Write the complete playlists, check them, and mark the video READY. */
	record Assemble(String videoId, String planId) {
	}

	static final JobType<Chunk> CHUNK = JobType.of(Queues.TRANSCODE, "chunk", Chunk.class);
	static final JobType<Audio> AUDIO = JobType.of(Queues.TRANSCODE, "audio", Audio.class);
	static final JobType<Assemble> ASSEMBLE = JobType.of(Queues.TRANSCODE, "assemble", Assemble.class);

	static String chunkKey(String planId, int index) {
		return "chunk:" + planId + ":" + index;
	}

	static String audioKey(String planId) {
		return "audio:" + planId;
	}

	static String assembleKey(String planId) {
		return "assemble:" + planId;
	}

	private ChunkJobs() {
	}
}
