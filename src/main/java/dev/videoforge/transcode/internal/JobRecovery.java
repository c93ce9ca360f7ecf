package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.queue.JobQueue;
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
 * FAILED with the job's reason. Waiting and running jobs are left alone: a lease whose worker
 * died runs out and is taken again. Each step is conditional (a dedupe key, a state check), so
 * several processors starting at once act once, and a video never gets two jobs.
 *
 * <p>On SQS, which cannot look messages up, this is skipped: a message SQS accepted stays until a
 * worker deletes it or it is dead-lettered.
 */
class JobRecovery {

	private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

	private final JobQueue queue;
	private final VideoCatalog catalog;

	JobRecovery(JobQueue queue, VideoCatalog catalog) {
		this.queue = queue;
		this.catalog = catalog;
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
				if (queue.enqueue(Queues.TRANSCODE, videoId, Queues.transcodeKey(videoId), owner).created()) {
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
