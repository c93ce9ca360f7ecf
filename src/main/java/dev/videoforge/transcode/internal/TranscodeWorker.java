package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.shared.ScratchFolder;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The processor role's job consumer: worker threads lease transcode jobs, keep the lease alive
 * with heartbeats while ffmpeg runs, and end each job with ack, retry or dead letter. A lost
 * lease (this process was too slow to heartbeat) kills ffmpeg and leaves the job to its new
 * owner. How many threads take work follows the backlog ({@link Autoscaler}); the figures are
 * published for external autoscalers too.
 */
class TranscodeWorker implements SmartLifecycle {

	static final String QUEUE = dev.videoforge.queue.Queues.TRANSCODE;
	private static final Logger log = LoggerFactory.getLogger(TranscodeWorker.class);

	private final JobQueue queue;
	private final QueueSettings queueSettings;
	private final TranscodeSettings settings;
	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final Transcoder transcoder;
	private final Path workDir;
	private final String workerId;
	private final AtomicBoolean running = new AtomicBoolean();
	private final AtomicInteger busy = new AtomicInteger();
	private final List<Thread> threads = new ArrayList<>();
	private volatile ScheduledExecutorService heartbeats;
	private volatile ScheduledExecutorService scaler;
	/** Bumped by every start and stop, so threads of an earlier start end even if they outlive stop's wait. */
	private final AtomicInteger generation = new AtomicInteger();
	private final Autoscaler autoscaler;
	private final java.util.concurrent.atomic.AtomicReference<dev.videoforge.queue.QueueStats> lastStats =
			new java.util.concurrent.atomic.AtomicReference<>(new dev.videoforge.queue.QueueStats(0, 0, 0, 0, 0));
	private volatile long lastPurge;

	TranscodeWorker(JobQueue queue, QueueSettings queueSettings, TranscodeSettings settings, VideoCatalog catalog,
			BlobStore blobs, Transcoder transcoder, Path workDir) {
		this.queue = queue;
		this.queueSettings = queueSettings;
		this.settings = settings;
		this.catalog = catalog;
		this.blobs = blobs;
		this.transcoder = transcoder;
		this.workDir = workDir;
		this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
		this.autoscaler = new Autoscaler(settings.minWorkers(), settings.effectiveMaxWorkers(), settings.scaleDownCooldown(),
				System.nanoTime());
	}

	@Override
	public void start() {
		if (!running.compareAndSet(false, true)) {
			return;
		}
		cleanWorkDir();
		heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "transcode-heartbeat");
			t.setDaemon(true);
			return t;
		});
		// Backlog readings run apart from heartbeats, so a slow query never delays a lease renewal.
		scaler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "transcode-scaler");
			t.setDaemon(true);
			return t;
		});
		int current = generation.incrementAndGet();
		for (int i = 0; i < autoscaler.max(); i++) {
			int index = i;
			threads.add(Thread.ofPlatform().name("transcode-" + i).daemon(true).start(() -> loop(index, current)));
		}
		long period = queueSettings.pollInterval().toMillis();
		scaler.scheduleWithFixedDelay(this::scale, 0, period, TimeUnit.MILLISECONDS);
		log.info("processor {} started: {} to {} concurrent transcodes following the backlog", workerId,
				settings.minWorkers(), autoscaler.max());
	}

	/** Scratch left by a process that died mid-job is of no use to anyone. */
	private void cleanWorkDir() {
		try {
			Files.createDirectories(workDir);
			try (Stream<Path> entries = Files.list(workDir)) {
				for (Path entry : entries.toList()) {
					ScratchFolder.delete(entry);
				}
			}
		}
		catch (IOException e) {
			log.warn("could not clean {}: {}", workDir, e.getMessage());
		}
	}

	/** Reads the backlog, resizes the pool, and now and then forgets old finished jobs. */
	private void scale() {
		try {
			var stats = queue.stats(QUEUE);
			lastStats.set(stats);
			int before = autoscaler.desired();
			int after = autoscaler.update(stats.queued(), busy.get(), System.nanoTime());
			if (after != before) {
				log.info("processor {}: backlog {} → {} concurrent transcodes (was {})", workerId, stats.queued(), after, before);
			}
			if (System.nanoTime() - lastPurge > TimeUnit.HOURS.toNanos(1)) {
				lastPurge = System.nanoTime();
				int purged = queue.purgeDone(QUEUE, queueSettings.retention());
				if (purged > 0) {
					log.info("forgot {} finished jobs older than {}", purged, queueSettings.retention());
				}
			}
		}
		catch (RuntimeException e) {
			log.debug("could not read the backlog: {}", e.getMessage());
		}
	}

	private void loop(int index, int myGeneration) {
		while (running.get() && generation.get() == myGeneration) {
			try {
				if (index >= autoscaler.desired()) {
					Thread.sleep(queueSettings.pollInterval().toMillis());
					continue;
				}
				Optional<LeasedJob> job = queue.lease(QUEUE, workerId, queueSettings.visibilityTimeout());
				if (job.isEmpty()) {
					queue.awaitWork(QUEUE, queueSettings.pollInterval());
					continue;
				}
				busy.incrementAndGet();
				try {
					process(job.get());
				}
				finally {
					busy.decrementAndGet();
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException e) {
				// The database may be away for a moment: wait and try again, losing nothing.
				log.warn("transcode worker: {}", e.getMessage());
				sleepQuietly(queueSettings.pollInterval().toMillis() * 5);
			}
		}
	}

	void process(LeasedJob job) throws InterruptedException {
		String videoId = job.payload();
		if (job.leaseExpiriesExhausted()) {
			// Not the file's fault as far as anyone can tell, but a file that kills its processor
			// every time (out of memory) must not go round for ever.
			String reason = "the transcode was interrupted " + job.leaseExpiries()
					+ " times because the processor running it stopped (killed, out of memory or lost)";
			if (queue.deadLetter(job, reason)) {
				catalog.markFailed(videoId, TranscodeFailure.INTERRUPTED);
			}
			return;
		}
		if (!catalog.markProcessing(videoId)) {
			var video = catalog.find(videoId);
			if (video.isPresent() && video.get().status() == dev.videoforge.catalog.VideoStatus.UPLOADING) {
				// The job arrived before the upload's own transaction was visible (a queue outside the
				// database): try again shortly rather than lose it.
				queue.fail(job, "the upload was not complete yet");
				return;
			}
			log.info("job {}: video {} is gone or already final; nothing to do", job.id(), videoId);
			queue.ack(job);
			return;
		}
		long started = System.nanoTime();
		log.info("job {} video {} attempt {} started on {} (failures {}/{}, worker stops {}/{})", job.id(), videoId,
				job.attempt(), workerId, job.chargedAttempt() - 1, job.maxAttempts(), job.leaseExpiries(), job.maxLeaseExpiries());
		AtomicBoolean leaseHeld = new AtomicBoolean(true);
		long period = Math.max(200, queueSettings.visibilityTimeout().toMillis() / 3);
		ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {
			try {
				if (!queue.heartbeat(job, queueSettings.visibilityTimeout())) {
					leaseHeld.set(false);
				}
			}
			catch (RuntimeException e) {
				log.warn("job {}: heartbeat failed: {}", job.id(), e.getMessage());
			}
		}, period, period, TimeUnit.MILLISECONDS);
		// From here on the attempt always ends in ack, retry/dead letter, or a lease handed on.
		Path work = workDir.resolve(job.id() + "-" + job.attempt());
		Path logFile = work.resolve("ffmpeg.log");
		ProgressReporter progress = new ProgressReporter(catalog, videoId);
		try {
			Files.createDirectories(work);
			Transcoder.Output output = transcoder.transcode(videoId, work, logFile, progress, leaseHeld::get);
			if (!catalog.markReady(videoId, output.durationSeconds(), output.width(), output.height(),
					output.renditions(), output.hasThumbnail())) {
				if (catalog.find(videoId).isEmpty()) {
					// Deleted while we worked: do not leave its renditions behind.
					blobs.deletePrefix(VideoCatalog.renditionsPrefix(videoId));
				}
			}
			if (!queue.ack(job)) {
				log.warn("job {} video {}: finished, but the lease had been handed on", job.id(), videoId);
			}
			log.info("job {} video {} done in {} s (fetch {} ms, ffmpeg {} ms, store {} ms) for {} s of media, {} qualities",
					job.id(), videoId, seconds(started), output.timings().fetchMillis(), output.timings().ffmpegMillis(),
					output.timings().storeMillis(), String.format("%.1f", output.durationSeconds()), output.renditions().size());
		}
		catch (TranscodeFailure e) {
			if (e.permanent()) {
				// The file's own fault: another attempt would fail the same way.
				if (queue.deadLetter(job, e.getMessage())) {
					catalog.markFailed(videoId, e.sentence());
				}
				log.info("job {} video {} attempt {}/{} failed after {} s, not retried: {}", job.id(), videoId, job.attempt(),
						job.maxAttempts(), seconds(started), e.getMessage());
			}
			else {
				fail(job, videoId, e.getMessage(), e.sentence(), started);
			}
		}
		catch (InterruptedException e) {
			if (!leaseHeld.get()) {
				log.warn("job {} video {}: lease lost after {} s; another worker takes over", job.id(), videoId, seconds(started));
				return;
			}
			// This process is stopping: hand the job straight back rather than let its lease run out.
			try {
				if (queue.release(job)) {
					catalog.markRetrying(videoId, "the processor was stopped; the transcode starts again");
					log.info("job {} video {}: handed back as the processor stops", job.id(), videoId);
				}
			}
			catch (RuntimeException releaseFailed) {
				log.warn("job {}: could not hand it back ({}); it is redelivered when its lease runs out", job.id(),
						releaseFailed.getMessage());
			}
			throw e;
		}
		catch (IOException | RuntimeException e) {
			log.warn("job {} video {} failed", job.id(), videoId, e);
			fail(job, videoId, "an internal error stopped the transcode: " + e.getMessage(), TranscodeFailure.INTERNAL, started);
		}
		finally {
			heartbeat.cancel(false);
			keepLog(job, videoId, logFile);
			ScratchFolder.delete(work);
		}
	}

	/** A failure worth retrying: {@code reason} is the job's error, {@code sentence} what viewers see. */
	private void fail(LeasedJob job, String videoId, String reason, String sentence, long started) {
		JobQueue.FailOutcome outcome = queue.fail(job, reason);
		switch (outcome) {
			case DEAD -> catalog.markFailed(videoId, sentence);
			case RETRY -> catalog.markRetrying(videoId, sentence);
			case LOST -> {
				// Another worker holds the job now; the video is its business.
			}
		}
		log.info("job {} video {} attempt {} (failure {}/{}) failed after {} s ({}): {}", job.id(), videoId, job.attempt(),
				job.chargedAttempt(), job.maxAttempts(), seconds(started), switch (outcome) {
					case DEAD -> "dead-lettered";
					case RETRY -> "will retry";
					case LOST -> "lease already handed on";
				}, reason);
	}

	/** Each attempt's ffmpeg log is kept with the video's files, and goes when the video goes. */
	private void keepLog(LeasedJob job, String videoId, Path logFile) {
		try {
			if (Files.exists(logFile)) {
				blobs.put(VideoCatalog.logKey(videoId, job.id(), job.attempt()), logFile);
			}
		}
		catch (IOException | RuntimeException e) {
			log.warn("job {}: could not keep the ffmpeg log: {}", job.id(), e.getMessage());
		}
	}

	private static String seconds(long startedNanos) {
		return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	int busyWorkers() {
		return busy.get();
	}

	int desiredWorkers() {
		return autoscaler.desired();
	}

	/** The queue figures of the last backlog reading (at most one poll interval old). */
	dev.videoforge.queue.QueueStats lastStats() {
		return lastStats.get();
	}

	/**
	 * Stops taking work and stops the running transcodes; their jobs stay leased and are
	 * redelivered when the lease runs out (here after a restart, or on another processor).
	 * The worker can be started again (a paused test context is).
	 */
	@Override
	public void stop() {
		if (!running.compareAndSet(true, false)) {
			return;
		}
		generation.incrementAndGet();
		scaler.shutdownNow();
		threads.forEach(Thread::interrupt);
		for (Thread thread : threads) {
			try {
				thread.join(30_000);
				if (thread.isAlive()) {
					log.warn("{} did not stop within 30 s; it ends when its current step does", thread.getName());
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		threads.clear();
		heartbeats.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running.get();
	}
}
