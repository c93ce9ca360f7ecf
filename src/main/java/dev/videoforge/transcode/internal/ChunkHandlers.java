package dev.videoforge.transcode.internal;

import dev.videoforge.queue.JobContext;
import dev.videoforge.queue.JobFailure;
import dev.videoforge.queue.JobHandler;
import dev.videoforge.queue.JobType;
import dev.videoforge.shared.ScratchFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The handlers of a chunked transcode's jobs ({@code chunk}, {@code audio}, {@code assemble}),
 * each attempt in a scratch folder of its own. A failed part is retried on its own (the video
 * stays PROCESSING meanwhile); one that gives up fails the video.
 */
final class ChunkHandlers {

	private ChunkHandlers() {
	}

	/** What one kind does, in its attempt's scratch folder. */
	interface Step<P> {
		void run(P job, JobContext context, Path work) throws Exception;
	}

	static List<JobHandler<?>> all(ChunkedTranscode chunks, Path workDir) {
		return List.of(new Part<>(ChunkJobs.CHUNK, ChunkJobs.Chunk::videoId, chunks::encodeChunk, chunks, workDir),
				new Part<>(ChunkJobs.AUDIO, ChunkJobs.Audio::videoId, chunks::encodeAudio, chunks, workDir),
				new Part<>(ChunkJobs.ASSEMBLE, ChunkJobs.Assemble::videoId, chunks::assemble, chunks, workDir));
	}

	private static final class Part<P extends Record> implements JobHandler<P> {

		private final JobType<P> type;
		private final Function<P, String> videoId;
		private final Step<P> step;
		private final ChunkedTranscode chunks;
		private final Path workDir;

		Part(JobType<P> type, Function<P, String> videoId, Step<P> step, ChunkedTranscode chunks, Path workDir) {
			this.type = type;
			this.videoId = videoId;
			this.step = step;
			this.chunks = chunks;
			this.workDir = workDir;
		}

		@Override
		public JobType<P> type() {
			return type;
		}

		@Override
		public void handle(P job, JobContext context) throws Exception {
			Path work = workDir.resolve(context.lease().id() + "-" + context.lease().attempt());
			try {
				Files.createDirectories(work);
				step.run(job, context, work);
			}
			finally {
				ScratchFolder.delete(work);
			}
		}

		@Override
		public void gaveUp(P job, JobFailure reason) {
			chunks.failed(videoId.apply(job), reason);
		}
	}
}
