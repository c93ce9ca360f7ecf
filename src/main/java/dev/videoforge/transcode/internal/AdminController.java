package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.FleetMember;
import dev.videoforge.queue.JobAdmin;
import dev.videoforge.queue.JobPayloads;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.Queues;
import dev.videoforge.shared.Ids;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The admin API of API.md (role ADMIN, enforced by the security configuration). */
@RestController
@RequestMapping("/api/admin")
@OnRole(Role.GALLERY)
class AdminController {

	/** {@code processors}: worker pools of the transcode queue that reported within the fleet timeout. */
	record QueueFigures(long queued, long inFlight, long deadLettered, long done, double oldestQueuedAgeSeconds, int workers,
			int desiredWorkers, int processors) {
	}

	record Job(String id, String videoId, JobState state, int attempts, int maxAttempts, String lastError,
			Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt, String worker, List<String> logs) {
	}

	record Retried(int jobs) {
	}

	private final JobAdmin queue;
	private final JobQueue jobs;
	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final TransactionTemplate transaction;
	private final Fleet fleet;

	AdminController(JobAdmin queue, JobQueue jobs, VideoCatalog catalog, BlobStore blobs, TransactionTemplate transaction,
			Fleet fleet) {
		this.queue = queue;
		this.jobs = jobs;
		this.catalog = catalog;
		this.blobs = blobs;
		this.transaction = transaction;
		this.fleet = fleet;
	}

	/**
	 * The whole fleet's figures, the same whichever process answers: the queue's from the queue,
	 * {@code workers}/{@code desiredWorkers} summed over the transcode pools of every processor as
	 * they last reported (at most {@code videoforge.queue.fleet-report-interval} old).
	 */
	@GetMapping("/queue")
	QueueFigures queue() {
		var stats = queue.stats(Queues.TRANSCODE);
		List<FleetMember> pools = fleet.members(Queues.TRANSCODE);
		return new QueueFigures(stats.queued(), stats.inFlight(), stats.deadLettered(), stats.done(),
				stats.oldestQueuedAgeSeconds(), pools.stream().mapToInt(FleetMember::busy).sum(),
				pools.stream().mapToInt(FleetMember::desired).sum(), pools.size());
	}

	/** Every worker pool of the fleet (transcode and webhook queues), oldest first. */
	@GetMapping("/workers")
	List<FleetMember> workers() {
		return fleet.members(null);
	}

	@GetMapping("/jobs")
	List<Job> jobs(@RequestParam(required = false) String state, @RequestParam(defaultValue = "100") int limit) {
		JobState wanted = null;
		if (state != null && !state.isBlank()) {
			try {
				wanted = JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException e) {
				throw new Refusal.Invalid("invalid_state", "state is one of QUEUED, LEASED, DONE, DEAD");
			}
		}
		if (limit < 1 || limit > 1000) {
			throw new Refusal.Invalid("invalid_limit", "limit is between 1 and 1000");
		}
		return queue.jobs(Queues.TRANSCODE, wanted, limit).stream().map(this::job).toList();
	}

	@GetMapping("/jobs/{id}")
	Job job(@PathVariable String id) {
		return job(find(id));
	}

	/**
	 * Runs a dead-lettered job again with fresh attempts; its video goes back to QUEUED. A dead part
	 * of a chunked transcode (a chunk, the sound, the assembly) cannot run alone: its plan and the
	 * other parts' files were dropped when the video failed, so the video's whole transcode is run
	 * again (the part itself, redriven, then finds its plan over and ends).
	 */
	@PostMapping("/jobs/{id}/retry")
	Job retry(@PathVariable String id) {
		JobView job = find(id);
		transaction.executeWithoutResult(status -> {
			if (!queue.redrive(job.id())) {
				throw new Refusal.Conflict("not_dead_lettered", "only a dead-lettered job can be retried; this one is " + job.state());
			}
			catalog.requeue(videoId(job));
			if (isPart(job)) {
				restart(videoId(job), job.id());
			}
		});
		return job(find(id));
	}

	/** Runs every dead-lettered job again (a video whose dead job was a part of a chunked transcode: its whole transcode). */
	@PostMapping("/jobs/retry-dead")
	Retried retryAllDead() {
		List<JobView> dead = queue.jobs(Queues.TRANSCODE, JobState.DEAD, 10_000);
		int count = transaction.execute(status -> {
			dead.forEach(j -> catalog.requeue(videoId(j)));
			int redriven = queue.redriveAll(Queues.TRANSCODE);
			Map<String, String> parts = new LinkedHashMap<>();
			dead.stream().filter(AdminController::isPart).forEach(j -> parts.putIfAbsent(videoId(j), j.id()));
			parts.forEach(this::restart);
			return redriven;
		});
		return new Retried(count);
	}

	/** Whether the job is a part of a chunked transcode rather than a video's own transcode job. */
	private static boolean isPart(JobView job) {
		String kind = JobPayloads.kind(job.payload());
		return kind != null && !kind.equals(Queues.TRANSCODE_VIDEO.kind());
	}

	/**
	 * Queues the video's transcode again: its own job reopened where the queue can find it (the
	 * database), else a new one, keyed by the dead part so a second retry cannot queue it twice.
	 */
	private void restart(String videoId, String deadPartId) {
		Optional<JobView> first = queue.findByDedupeKey(Queues.transcodeKey(videoId));
		if (first.isPresent() && first.get().state() == JobState.DONE && queue.reopen(first.get().id())) {
			return;
		}
		if (first.isPresent() && first.get().state() != JobState.DONE) {
			// Queued, running or dead (then redriven above): it is moving already.
			return;
		}
		String owner = catalog.find(videoId).map(dev.videoforge.catalog.Video::ownerId).orElse(null);
		jobs.enqueue(Queues.TRANSCODE_VIDEO, new Queues.TranscodeVideo(videoId), Queues.transcodeKey(videoId) + ":" + deadPartId,
				owner);
	}

	/** The ffmpeg log of one attempt, as plain text. */
	@GetMapping(path = "/jobs/{id}/logs/{attempt}", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> log(@PathVariable String id, @PathVariable int attempt) throws IOException {
		JobView job = find(id);
		String key = VideoFiles.log(videoId(job), id, attempt);
		var info = blobs.stat(key).orElseThrow(() -> Refusal.notFound("log"));
		long size = Math.min(info.size(), 2_000_000);
		try (InputStream in = blobs.open(key, Math.max(0, info.size() - size), size)) {
			return ResponseEntity.ok().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
					.body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (BlobNotFoundException e) {
			throw Refusal.notFound("log");
		}
	}

	private JobView find(String id) {
		if (!Ids.isValid(id)) {
			throw Refusal.notFound("job");
		}
		return queue.find(id).orElseThrow(() -> Refusal.notFound("job"));
	}

	private Job job(JobView view) {
		List<String> logs;
		try {
			logs = blobs.list(VideoFiles.logs(videoId(view)) + view.id() + "/").stream()
					.map(k -> "/api/admin/jobs/" + view.id() + "/logs/" + k.substring(k.lastIndexOf("attempt-") + 8, k.length() - 4))
					.toList();
		}
		catch (IOException e) {
			logs = List.of();
		}
		return new Job(view.id(), videoId(view), view.state(), view.attempts(), view.maxAttempts(), view.lastError(),
				view.createdAt(), view.runAt(), view.startedAt(), view.finishedAt(), view.worker(), logs);
	}

	/** Every job of the transcode queue, whatever its kind, is about one video. */
	private static String videoId(JobView job) {
		return JobPayloads.field(job.payload(), "videoId");
	}
}
