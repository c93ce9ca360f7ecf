package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.Queues;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The start-up reconciliation of transcodes: every video QUEUED or PROCESSING must have a job that
 * will move it. One whose job is missing gets one, one whose job was marked done gets it back,
 * and one whose job was dead-lettered (the process stopped before the video was marked) is
 * FAILED with the general sentence viewers get (the tools' own words stay with the job, for
 * operators). Waiting and running jobs are left alone: a lease whose worker died runs out and is
 * taken again. Each step is conditional (a dedupe key, a state check), so
 * several processors starting at once act once, and a video never gets two jobs.
 *
 * <p>On SQS, which cannot look messages up, this is skipped: a message SQS accepted stays until a
 * worker deletes it or it is dead-lettered.
 */
class JobRecovery {

	private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

	private final JobStore queue;
	private final VideoCatalog catalog;
	private final ChunkStore chunks;

	JobRecovery(JobStore queue, VideoCatalog catalog, ChunkStore chunks) {
		this.queue = queue;
		this.catalog = catalog;
		this.chunks = chunks;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		Thread.ofVirtual().name("job-recovery").start(() -> {
			try {
				recover();
			}
			catch (RuntimeException e) {
				log.warn("could not check the jobs of queued videos: {}", e.getMessage());
			}
		});
	}

	/**
	 * A chunked video whose plan job is done: each part not yet stored must have a job that will
	 * store it, and once all are stored the assembly must have one. A part whose job is missing gets
	 * one, one whose job was marked done gets it back, one dead-lettered fails the video. Stored
	 * parts are never redone.
	 */
	private int recoverChunks(ChunkPlan plan) {
		var stored = chunks.done(plan.videoId(), plan.planId());
		String account = catalog.find(plan.videoId()).map(dev.videoforge.catalog.Video::ownerId).orElse(null);
		int touched = 0;
		boolean all = true;
		for (int i = 0; i < plan.chunks(); i++) {
			if (!stored.containsKey(ChunkPlan.part(i))) {
				all = false;
				ChunkJobs.Chunk job = new ChunkJobs.Chunk(plan.videoId(), plan.planId(), i);
				touched += restart(plan.videoId(), ChunkJobs.chunkKey(plan.planId(), i),
						key -> queue.enqueue(ChunkJobs.CHUNK, job, key, account));
			}
		}
		if (!stored.containsKey(ChunkPlan.AUDIO)) {
			all = false;
			ChunkJobs.Audio job = new ChunkJobs.Audio(plan.videoId(), plan.planId());
			touched += restart(plan.videoId(), ChunkJobs.audioKey(plan.planId()), key -> queue.enqueue(ChunkJobs.AUDIO, job, key, account));
		}
		if (all) {
			ChunkJobs.Assemble job = new ChunkJobs.Assemble(plan.videoId(), plan.planId());
			touched += restart(plan.videoId(), ChunkJobs.assembleKey(plan.planId()),
					key -> queue.enqueue(ChunkJobs.ASSEMBLE, job, key, account));
		}
		return touched;
	}

	/** Makes sure the job of one part will run: queued when missing, reopened when done, the video failed when dead. */
	private int restart(String videoId, String dedupeKey, java.util.function.Function<String, JobQueue.Enqueued> enqueue) {
		Optional<JobView> job = queue.findByDedupeKey(dedupeKey);
		if (job.isEmpty()) {
			if (enqueue.apply(dedupeKey).created()) {
				log.info("video {}: part job {} was missing: queued it", videoId, dedupeKey);
				return 1;
			}
			return 0;
		}
		return switch (job.get().state()) {
			case QUEUED, LEASED -> 0;
			case DONE -> {
				if (queue.reopen(job.get().id())) {
					log.info("video {}: part job {} was done but its part is not stored: queued again", videoId, dedupeKey);
					yield 1;
				}
				yield 0;
			}
			case DEAD -> {
				catalog.markFailed(videoId, TranscodeFailure.UNDECODABLE);
				yield 1;
			}
		};
	}

	/** Sets every stuck video moving; returns how many it touched. */
	int recover() {
		if (!queue.looksUpJobs()) {
			log.info("start-up check of queued videos skipped: this queue cannot look jobs up (SQS keeps what it accepted)");
			return 0;
		}
		int touched = 0;
		for (String videoId : catalog.awaitingTranscode()) {
			Optional<JobView> job = queue.findByDedupeKey(Queues.transcodeKey(videoId));
			if (job.isEmpty()) {
				String owner = catalog.find(videoId).map(dev.videoforge.catalog.Video::ownerId).orElse(null);
				if (queue.enqueue(Queues.TRANSCODE_VIDEO, new Queues.TranscodeVideo(videoId), Queues.transcodeKey(videoId), owner).created()) {
					log.info("video {} was waiting with no transcode job: queued one", videoId);
					touched++;
				}
				continue;
			}
			switch (job.get().state()) {
				case QUEUED, LEASED -> {
					// Moving already.
				}
				case DONE -> {
					Optional<ChunkPlan> plan = chunks.plan(videoId);
					if (plan.isPresent()) {
						// Its first job planned chunks: their jobs move it, and only missing ones are queued.
						touched += recoverChunks(plan.get());
						continue;
					}
					if (queue.reopen(job.get().id())) {
						log.info("video {} was waiting but its job {} was done: queued again", videoId, job.get().id());
						touched++;
					}
				}
				case DEAD -> {
					// The job's error (the tools' words) stays with the job; viewers get a sentence.
					catalog.markFailed(videoId, TranscodeFailure.UNDECODABLE);
					touched++;
				}
			}
		}
		return touched;
	}
}
