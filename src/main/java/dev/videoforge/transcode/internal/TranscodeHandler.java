package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.queue.JobContext;
import dev.videoforge.queue.JobFailure;
import dev.videoforge.queue.JobHandler;
import dev.videoforge.queue.JobType;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.Queues;
import dev.videoforge.shared.ScratchFolder;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code transcode} job, a video's first: marks it PROCESSING, runs the transcode in a
 * scratch folder of the attempt's own, and marks it READY. What becomes of a failed attempt
 * (retry, dead letter) is the job runtime's decision; this handler tells the catalog.
 */
class TranscodeHandler implements JobHandler<Queues.TranscodeVideo> {

	private static final Logger log = LoggerFactory.getLogger(TranscodeHandler.class);

	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final Transcoder transcoder;
	private final Path workDir;
	/** Long videos go to the fleet in chunks; null: every video takes the single pass. */
	private final ChunkedTranscode chunks;

	TranscodeHandler(VideoCatalog catalog, BlobStore blobs, Transcoder transcoder, Path workDir) {
		this(catalog, blobs, transcoder, workDir, null);
	}

	TranscodeHandler(VideoCatalog catalog, BlobStore blobs, Transcoder transcoder, Path workDir, ChunkedTranscode chunks) {
		this.chunks = chunks;
		this.catalog = catalog;
		this.blobs = blobs;
		this.transcoder = transcoder;
		this.workDir = workDir;
	}

	@Override
	public JobType<Queues.TranscodeVideo> type() {
		return Queues.TRANSCODE_VIDEO;
	}

	@Override
	public void handle(Queues.TranscodeVideo job, JobContext context) throws Exception {
		String videoId = job.videoId();
		LeasedJob lease = context.lease();
		if (!catalog.markProcessing(videoId)) {
			var video = catalog.find(videoId);
			if (video.isPresent() && video.get().status() == VideoStatus.UPLOADING) {
				// The job arrived before the upload's own transaction was visible (a queue outside the
				// database): try again shortly rather than lose it.
				throw new NotYet("the upload was not complete yet");
			}
			log.info("job {}: video {} is gone or already final; nothing to do", lease.id(), videoId);
			return;
		}
		long started = System.nanoTime();
		log.info("job {} video {} attempt {} started on {} (failures {}/{}, worker stops {}/{})", lease.id(), videoId,
				lease.attempt(), context.workerId(), lease.chargedAttempt() - 1, lease.maxAttempts(), lease.leaseExpiries(),
				lease.maxLeaseExpiries());
		Path work = workDir.resolve(lease.id() + "-" + lease.attempt());
		Path logFile = work.resolve("ffmpeg.log");
		try {
			Files.createDirectories(work);
			Transcoder.Prepared prepared = transcoder.prepare(videoId, work);
			// Past this point files are deleted and written: only while this worker holds the job.
			requireLease(context);
			if (chunks != null && chunks.worthChunking(prepared)) {
				// The plan and the chunks' jobs are this job's work; the fleet does the rest.
				chunks.start(videoId, catalog.find(videoId).map(dev.videoforge.catalog.Video::ownerId).orElse(null), prepared);
				return;
			}
			Transcoder.Output output = transcoder.transcode(videoId, prepared, work, logFile,
					new ProgressReporter(catalog, videoId), context::leaseHeld);
			requireLease(context);
			if (!catalog.markReady(videoId, output.durationSeconds(), output.width(), output.height(), output.renditions(),
					output.hasThumbnail())) {
				if (catalog.find(videoId).isEmpty()) {
					// Deleted while we worked: do not leave its renditions behind.
					blobs.deletePrefix(VideoFiles.renditions(videoId));
				}
			}
			log.info("job {} video {} done in {} s (fetch {} ms, ffmpeg {} ms, store {} ms) for {} s of media, {} qualities",
					lease.id(), videoId, seconds(started), output.timings().fetchMillis(), output.timings().ffmpegMillis(),
					output.timings().storeMillis(), String.format("%.1f", output.durationSeconds()), output.renditions().size());
		}
		finally {
			keepLog(lease, videoId, logFile);
			ScratchFolder.delete(work);
		}
	}

	@Override
	public void retrying(Queues.TranscodeVideo job, JobFailure reason) {
		if (!(reason instanceof NotYet)) {
			catalog.markRetrying(job.videoId(), TranscodeFailure.sentenceOf(reason));
		}
	}

	@Override
	public void gaveUp(Queues.TranscodeVideo job, JobFailure reason) {
		if (!catalog.markFailed(job.videoId(), TranscodeFailure.sentenceOf(reason))) {
			// READY (a later run finished it) or FAILED already: its files are not ours to remove.
			return;
		}
		try {
			// Segments published early belong to no video that plays.
			blobs.deletePrefix(VideoFiles.renditions(job.videoId()));
		}
		catch (IOException | RuntimeException e) {
			log.warn("video {}: could not remove its partial renditions: {}", job.videoId(), e.getMessage());
		}
	}

	@Override
	public void handedBack(Queues.TranscodeVideo job) {
		catalog.markRetrying(job.videoId(), "the processor was stopped; the transcode starts again");
	}

	/** Stops here when another worker holds the job now: its files are the ones to keep. */
	static void requireLease(JobContext context) throws InterruptedException {
		if (!context.leaseHeld()) {
			throw new InterruptedException("lease lost");
		}
	}

	/** Not a failure of the video: the job came before the upload it follows was visible. */
	static final class NotYet extends JobFailure {

		NotYet(String message) {
			super(false, message);
		}
	}

	/** Each attempt's ffmpeg log is kept with the video's files, and goes when the video goes. */
	private void keepLog(LeasedJob job, String videoId, Path logFile) {
		try {
			if (Files.exists(logFile)) {
				blobs.put(VideoFiles.log(videoId, job.id(), job.attempt()), logFile);
			}
		}
		catch (IOException | RuntimeException e) {
			log.warn("job {}: could not keep the ffmpeg log: {}", job.id(), e.getMessage());
		}
	}

	private static String seconds(long startedNanos) {
		return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
	}
}
