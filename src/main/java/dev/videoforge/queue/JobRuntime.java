package dev.videoforge.queue;

import dev.videoforge.queue.internal.Autoscaler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The job runtime of one queue in one process: worker threads lease jobs, keep each lease alive
 * with heartbeats while its handler runs, and end the attempt with ack, retry (the queue's
 * backoff) or dead letter. A lost lease is reported to the handler, which stops, and the job is
 * left to its new owner; stopping the process hands running jobs straight back. How many threads take work
 * follows the backlog ({@link Autoscaler}), and finished jobs past their retention are forgotten.
 *
 * <p>Handlers are chosen by the job's kind ({@link JobPayloads}), so one queue carries several
 * kinds (a video's plan, its chunks, its audio, its assembly) and any processor runs any of them.
 * A module that owns a queue builds its runtime with its handlers, on the roles that consume it.
 */
public final class JobRuntime implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobRuntime.class);

	/**
	 * One queue's worker pool: between {@code minWorkers} and {@code maxWorkers} threads following
	 * the backlog, each lease lasting {@code visibility} without a heartbeat.
	 */
	public record Pool(String queue, int minWorkers, int maxWorkers, Duration scaleDownCooldown, Duration visibility) {
	}

	private final JobQueue queue;
	private final JobAdmin admin;
	private final QueueSettings settings;
	private final Pool pool;
	private final Map<String, JobHandler<?>> handlers = new HashMap<>();
	/** The handler of payloads written before payloads named their kind, if any. */
	private final JobHandler<?> legacyHandler;
	private final String workerId;
	private final Autoscaler autoscaler;
	private final AtomicBoolean running = new AtomicBoolean();
	private final AtomicInteger busy = new AtomicInteger();
	private final List<Thread> threads = new ArrayList<>();
	/** Bumped by every start and stop, so threads of an earlier start end even if they outlive stop's wait. */
	private final AtomicInteger generation = new AtomicInteger();
	private final AtomicReference<QueueStats> lastStats = new AtomicReference<>(new QueueStats(0, 0, 0, 0, 0));
	private volatile ScheduledExecutorService heartbeats;
	private volatile ScheduledExecutorService scaler;
	private volatile long lastPurge;
	/** Where this pool reports itself, or null (a runtime tested alone). */
	private final Fleet fleet;
	private final java.time.Instant startedAt = java.time.Instant.now();
	private volatile long lastReport;

	/** A runtime that reports itself to no fleet registry (tests of the runtime alone). */
	public JobRuntime(JobQueue queue, JobAdmin admin, QueueSettings settings, Pool pool, List<? extends JobHandler<?>> handlers) {
		this(queue, admin, settings, pool, handlers, null);
	}

	public JobRuntime(JobQueue queue, JobAdmin admin, QueueSettings settings, Pool pool, List<? extends JobHandler<?>> handlers,
			Fleet fleet) {
		this.fleet = fleet;
		this.queue = queue;
		this.admin = admin;
		this.settings = settings;
		this.pool = pool;
		JobHandler<?> legacy = null;
		for (JobHandler<?> handler : handlers) {
			if (!handler.type().queue().equals(pool.queue())) {
				throw new IllegalArgumentException(handler.type() + " is not a job of queue " + pool.queue());
			}
			if (handlers().put(handler.type().kind(), handler) != null) {
				throw new IllegalArgumentException("two handlers for " + handler.type());
			}
			if (handler.type().legacy() != null) {
				legacy = handler;
			}
		}
		this.legacyHandler = legacy;
		this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + pool.queue() + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.autoscaler = new Autoscaler(pool.minWorkers(), pool.maxWorkers(), pool.scaleDownCooldown(), System.nanoTime());
	}

	private Map<String, JobHandler<?>> handlers() {
		return handlers;
	}

	@Override
	public void start() {
		if (!running.compareAndSet(false, true)) {
			return;
		}
		heartbeats = Executors.newSingleThreadScheduledExecutor(daemon(pool.queue() + "-heartbeat"));
		// Backlog readings run apart from heartbeats, so a slow query never delays a lease renewal.
		scaler = Executors.newSingleThreadScheduledExecutor(daemon(pool.queue() + "-scaler"));
		int current = generation.incrementAndGet();
		for (int i = 0; i < autoscaler.max(); i++) {
			int index = i;
			threads.add(Thread.ofPlatform().name(pool.queue() + "-" + i).daemon(true).start(() -> loop(index, current)));
		}
		scaler.scheduleWithFixedDelay(this::scale, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
		log.info("{} jobs ({}) on {}: {} to {} at once, following the backlog", pool.queue(), String.join(", ", handlers.keySet()),
				workerId, pool.minWorkers(), autoscaler.max());
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		return r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		};
	}

	/**
	 * Reads the backlog, resizes the pool, reports to the fleet, and now and then forgets old
	 * finished jobs and silent pools; each on its own, so one failing does not stop the others.
	 */
	private void scale() {
		int before = autoscaler.desired();
		int after = before;
		try {
			QueueStats stats = admin.stats(pool.queue());
			lastStats.set(stats);
			after = autoscaler.update(stats.queued(), busy.get(), System.nanoTime());
			if (after != before) {
				log.info("{} on {}: backlog {} → {} at once (was {})", pool.queue(), workerId, stats.queued(), after, before);
			}
		}
		catch (RuntimeException e) {
			log.debug("could not read the {} backlog: {}", pool.queue(), e.getMessage());
		}
		if (fleet != null && running.get() && (after != before || lastReport == 0
				|| System.nanoTime() - lastReport >= settings.fleetReportInterval().toNanos())) {
			report();
		}
		if (System.nanoTime() - lastPurge > TimeUnit.HOURS.toNanos(1)) {
			lastPurge = System.nanoTime();
			try {
				int purged = admin.purgeDone(pool.queue(), settings.retention());
				if (purged > 0) {
					log.info("forgot {} finished {} jobs older than {}", purged, pool.queue(), settings.retention());
				}
				if (fleet != null) {
					fleet.forgetSilent(java.time.Duration.ofHours(1));
				}
			}
			catch (RuntimeException e) {
				log.debug("could not forget old {} jobs: {}", pool.queue(), e.getMessage());
				lastPurge = System.nanoTime() - TimeUnit.MINUTES.toNanos(59); // again in a minute
			}
		}
	}

	private void loop(int index, int myGeneration) {
		while (running.get() && generation.get() == myGeneration) {
			try {
				if (index >= autoscaler.desired()) {
					Thread.sleep(settings.pollInterval().toMillis());
					continue;
				}
				Optional<LeasedJob> job = queue.lease(pool.queue(), workerId, pool.visibility());
				if (job.isEmpty()) {
					queue.awaitWork(pool.queue(), settings.pollInterval());
					continue;
				}
				busy.incrementAndGet();
				try {
					run(job.get());
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
				log.warn("{} worker: {}", pool.queue(), e.getMessage());
				sleepQuietly(settings.pollInterval().toMillis() * 5);
			}
		}
	}

	/** One attempt of one job, from its lease to its end; visible for tests that drive it by hand. */
	public void run(LeasedJob job) throws InterruptedException {
		String kind;
		try {
			kind = JobPayloads.kind(job.payload());
		}
		catch (RuntimeException e) {
			queue.deadLetter(job, "the job's payload is not readable: " + e.getMessage());
			return;
		}
		JobHandler<?> handler = kind == null ? legacyHandler : handlers.get(kind);
		if (handler == null) {
			// A processor of an older version in a mixed fleet: leave the job to one that knows it.
			queue.fail(job, "this processor runs no handler for job kind " + kind);
			return;
		}
		runWith(handler, job);
	}

	private <P extends Record> void runWith(JobHandler<P> handler, LeasedJob job) throws InterruptedException {
		P payload;
		try {
			payload = JobPayloads.decode(handler.type(), job.payload());
		}
		catch (RuntimeException e) {
			queue.deadLetter(job, "the job's payload is not readable: " + e.getMessage());
			return;
		}
		if (job.leaseExpiriesExhausted()) {
			// Not the input's fault as far as anyone can tell, but a job that kills its processor
			// every time (out of memory) must not go round for ever.
			JobFailure reason = new JobFailure.Abandoned("the job was interrupted " + job.leaseExpiries()
					+ " times because the processor running it stopped (killed, out of memory or lost)");
			if (queue.deadLetter(job, reason.getMessage())) {
				handler.gaveUp(payload, reason);
			}
			return;
		}
		long started = System.nanoTime();
		log.debug("job {} {} attempt {} started on {}", job.id(), handler.type(), job.attempt(), workerId);
		AtomicBoolean leaseHeld = new AtomicBoolean(true);
		long period = Math.max(200, pool.visibility().toMillis() / 3);
		long[] lastRenewed = { System.nanoTime() };
		ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {
			try {
				// Handlers watch leaseHeld and stop (ffmpeg is killed); the thread is not interrupted, as
				// that would break a database file's channel mid-write (H2).
				if (leaseHeld.get() && !queue.heartbeat(job, pool.visibility())) {
					leaseHeld.set(false);
				}
				else {
					lastRenewed[0] = System.nanoTime();
				}
			}
			catch (RuntimeException e) {
				log.warn("job {}: heartbeat failed: {}", job.id(), e.getMessage());
				// Unrenewed for nearly a lease, the job may be another worker's already: stop as if lost.
				if (System.nanoTime() - lastRenewed[0] >= TimeUnit.MILLISECONDS.toNanos(pool.visibility().toMillis() - period)) {
					leaseHeld.set(false);
				}
			}
		}, period, period, TimeUnit.MILLISECONDS);
		JobContext context = new JobContext() {
			@Override
			public LeasedJob lease() {
				return job;
			}

			@Override
			public boolean leaseHeld() {
				return leaseHeld.get();
			}
		};
		try {
			handler.handle(payload, context);
		}
		catch (InterruptedException e) {
			heartbeat.cancel(false);
			if (!leaseHeld.get()) {
				Thread.interrupted();
				log.warn("job {} {}: lease lost after {} s; another worker takes over", job.id(), handler.type(), seconds(started));
				return;
			}
			// This process is stopping: hand the job straight back rather than let its lease run out.
			try {
				if (queue.release(job)) {
					handler.handedBack(payload);
					log.info("job {} {}: handed back as the processor stops", job.id(), handler.type());
				}
			}
			catch (RuntimeException releaseFailed) {
				log.warn("job {}: could not hand it back ({}); it is redelivered when its lease runs out", job.id(),
						releaseFailed.getMessage());
			}
			throw e;
		}
		catch (Exception e) {
			heartbeat.cancel(false);
			if (!leaseHeld.get()) {
				Thread.interrupted();
				log.warn("job {} {}: lease lost after {} s; another worker takes over", job.id(), handler.type(), seconds(started));
				return;
			}
			JobFailure failure = e instanceof JobFailure known ? known
					: new JobFailure(false, "an internal error stopped the job: " + e.getMessage(), e);
			if (!(e instanceof JobFailure)) {
				log.warn("job {} {} failed", job.id(), handler.type(), e);
			}
			settle(handler, payload, job, failure, started);
			return;
		}
		finally {
			heartbeat.cancel(false);
		}
		// The work is done: a failed ack is not a failed job. The lease runs out and the job comes
		// back, and its handler finds the work done.
		try {
			if (!queue.ack(job)) {
				log.warn("job {} {}: finished, but the lease had been handed on", job.id(), handler.type());
			}
			log.debug("job {} {} done in {} s", job.id(), handler.type(), seconds(started));
		}
		catch (RuntimeException e) {
			log.warn("job {} {}: finished, but could not be acked ({}); it comes back when its lease runs out", job.id(),
					handler.type(), e.getMessage());
		}
	}

	private <P extends Record> void settle(JobHandler<P> handler, P payload, LeasedJob job, JobFailure failure, long started) {
		JobQueue.FailOutcome outcome;
		if (failure.permanent()) {
			// The input's own fault: another attempt would fail the same way.
			outcome = queue.deadLetter(job, failure.getMessage()) ? JobQueue.FailOutcome.DEAD : JobQueue.FailOutcome.LOST;
		}
		else {
			outcome = queue.fail(job, failure.getMessage());
		}
		switch (outcome) {
			case DEAD -> handler.gaveUp(payload, failure);
			case RETRY -> handler.retrying(payload, failure);
			case LOST -> {
				// Another worker holds the job now; what became of it is its business.
			}
		}
		log.info("job {} {} attempt {} (failure {}/{}) failed after {} s ({}): {}", job.id(), handler.type(), job.attempt(),
				job.chargedAttempt(), job.maxAttempts(), seconds(started), switch (outcome) {
					case DEAD -> failure.permanent() ? "not retried" : "dead-lettered";
					case RETRY -> "will retry";
					case LOST -> "lease already handed on";
				}, failure.getMessage());
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

	private void report() {
		try {
			String name = workerId.substring(0, workerId.indexOf('/'));
			fleet.report(new FleetMember(workerId, pool.queue(), name.substring(name.indexOf('@') + 1), startedAt,
					java.time.Instant.now(), busy.get(), autoscaler.desired(), autoscaler.max()));
			lastReport = System.nanoTime();
		}
		catch (RuntimeException e) {
			log.debug("could not report {} to the fleet: {}", workerId, e.getMessage());
		}
	}

	/** This pool's id, as on the jobs it leases and in the fleet registry. */
	public String workerId() {
		return workerId;
	}

	/** Jobs this process is running now. */
	public int busyWorkers() {
		return busy.get();
	}

	/** Jobs this process wants to run at once for the backlog. */
	public int desiredWorkers() {
		return autoscaler.desired();
	}

	/** The queue figures of the last backlog reading (at most one poll interval old). */
	public QueueStats lastStats() {
		return lastStats.get();
	}

	public String queue() {
		return pool.queue();
	}

	/**
	 * Stops taking work and interrupts the running handlers, which hand their jobs back. The
	 * runtime can be started again (a paused test context is).
	 */
	@Override
	public void stop() {
		if (!running.compareAndSet(true, false)) {
			return;
		}
		generation.incrementAndGet();
		scaler.shutdownNow();
		try {
			// A report already running must not land after leave() below and put the pool back.
			if (!scaler.awaitTermination(10, TimeUnit.SECONDS)) {
				log.warn("{}: the backlog reader did not stop within 10 s", workerId);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
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
		if (fleet != null) {
			try {
				fleet.leave(workerId);
			}
			catch (RuntimeException e) {
				log.debug("could not take {} out of the fleet: {}", workerId, e.getMessage());
			}
			lastReport = 0;
		}
	}

	@Override
	public boolean isRunning() {
		return running.get();
	}
}
