package dev.videoforge.webhooks.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.Queues;
import dev.videoforge.webhooks.WebhookSettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The processor role's webhook consumer. Threads of its own lease jobs of the {@code webhook}
 * queue (never the transcode queue's threads, so a slow endpoint never holds a transcode), make
 * one attempt each, record it on the delivery and ack the job. The retry schedule is the
 * webhooks' own ({@link WebhookSettings#retrySchedule()}), not the queue's backoff: a failed
 * attempt sets the delivery's next attempt time, and the sweeper queues a new job when it is due.
 * So the queue never holds a job for hours (SQS delays stop at 15 minutes), and a delivery is
 * retried for over a day however the queue is configured.
 *
 * <p>The sweeper, every {@code sweep-interval}, queues what is due and has no live job: retries,
 * deliveries recorded by a process that died before queueing them, and jobs lost for longer than
 * {@code requeue-after}. It also runs at start, which is the start-up recovery.
 */
class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	private final JobQueue queue;
	private final QueueSettings queueSettings;
	private final WebhookSettings settings;
	private final WebhookStore store;
	private final WebhookSender sender;
	private final Dispatcher dispatcher;
	private final String workerId;
	private final AtomicBoolean running = new AtomicBoolean();
	private final List<Thread> threads = new ArrayList<>();
	private volatile ScheduledExecutorService sweeper;
	private volatile long lastPurge;

	DeliveryWorker(JobQueue queue, QueueSettings queueSettings, WebhookSettings settings, WebhookStore store,
			WebhookSender sender, Dispatcher dispatcher) {
		this.queue = queue;
		this.queueSettings = queueSettings;
		this.settings = settings;
		this.store = store;
		this.sender = sender;
		this.dispatcher = dispatcher;
		this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/webhooks-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** A lease outlasts the longest attempt (connect + read timeout) with room to record it. */
	private Duration visibility() {
		return settings.connectTimeout().plus(settings.readTimeout()).plusSeconds(30);
	}

	@Override
	public void start() {
		if (!running.compareAndSet(false, true)) {
			return;
		}
		for (int i = 0; i < settings.workers(); i++) {
			threads.add(Thread.ofPlatform().name("webhook-" + i).daemon(true).start(this::loop));
		}
		sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "webhook-sweeper");
			t.setDaemon(true);
			return t;
		});
		sweeper.scheduleWithFixedDelay(this::sweep, 0, settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
		log.info("webhook deliveries: {} senders on {}", settings.workers(), workerId);
	}

	@Override
	public void stop() {
		if (!running.compareAndSet(true, false)) {
			return;
		}
		sweeper.shutdownNow();
		threads.forEach(Thread::interrupt);
		for (Thread thread : threads) {
			try {
				// An attempt in progress ends within its timeouts; one still running after this is
				// redelivered when its lease runs out (at least once).
				thread.join(settings.connectTimeout().plus(settings.readTimeout()).toMillis() + 1000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running.get();
	}

	private void loop() {
		while (running.get()) {
			Optional<LeasedJob> job = Optional.empty();
			try {
				job = queue.lease(Queues.WEBHOOK, workerId, visibility());
				if (job.isEmpty()) {
					queue.awaitWork(Queues.WEBHOOK, queueSettings.pollInterval());
					continue;
				}
				if (!running.get()) {
					queue.release(job.get());
					return;
				}
				process(job.get());
			}
			catch (InterruptedException e) {
				job.ifPresent(this::releaseQuietly);
				return;
			}
			catch (RuntimeException e) {
				// The database may be away for a moment: the job's lease runs out and it comes back.
				log.warn("webhook sender: {}", e.getMessage());
				sleep(queueSettings.pollInterval().toMillis() * 5);
			}
		}
	}

	/** One attempt of the delivery the job stands for, recorded, then the job acked. */
	void process(LeasedJob job) {
		String[] parts = job.payload().split(":", 2);
		int serial = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
		Optional<Delivery> found = store.delivery(parts[0]);
		Optional<Endpoint> endpoint = found.flatMap(d -> store.endpoint(d.endpointId()));
		if (found.isEmpty() || endpoint.isEmpty() || found.get().status() != Delivery.Status.PENDING
				|| found.get().jobSerial() != serial) {
			// Deleted, already settled, or a newer job stands for it: nothing to send.
			queue.ack(job);
			return;
		}
		Delivery delivery = found.get();
		WebhookSender.Result result = sender.send(endpoint.get().url(), endpoint.get().secret(), delivery.id(), delivery.payload());
		int attempts = delivery.attempts() + 1;
		Instant now = Instant.now();
		boolean recorded;
		if (result.delivered()) {
			recorded = store.recordAttempt(delivery.id(), serial, Delivery.Status.DELIVERED, attempts, result.statusCode(), null,
					null, now);
			log.info("delivery {} ({} of video {}) delivered on attempt {}: HTTP {}", delivery.id(), delivery.event(),
					delivery.videoId(), attempts, result.statusCode());
		}
		else {
			Duration delay = settings.delayAfter(attempts);
			recorded = store.recordAttempt(delivery.id(), serial, delay == null ? Delivery.Status.FAILED : Delivery.Status.PENDING,
					attempts, result.statusCode(), truncate(result.error()), delay == null ? null : now.plus(delay), null);
			log.info("delivery {} ({} of video {}) attempt {} failed ({}): {}", delivery.id(), delivery.event(), delivery.videoId(),
					attempts, delay == null ? "no more retries" : "retry in " + delay, result.error());
		}
		if (!recorded) {
			log.info("delivery {}: a newer job took over while this attempt ran", delivery.id());
		}
		queue.ack(job);
	}

	/** Queues every delivery that is due and has no live job; now and then forgets old ones. */
	void sweep() {
		try {
			Instant now = Instant.now();
			for (Delivery due : store.due(now, now.minus(settings.requeueAfter()), 100)) {
				dispatcher.dispatch(due, store.endpoint(due.endpointId()).map(Endpoint::ownerId).orElse(null));
			}
			if (System.nanoTime() - lastPurge > TimeUnit.HOURS.toNanos(1)) {
				lastPurge = System.nanoTime();
				int jobs = queue.purgeDone(Queues.WEBHOOK, queueSettings.retention());
				int deliveries = store.purge(now.minus(settings.logRetention()));
				if (jobs + deliveries > 0) {
					log.info("forgot {} finished webhook jobs and {} deliveries past their retention", jobs, deliveries);
				}
			}
		}
		catch (RuntimeException e) {
			log.warn("webhook sweep: {}", e.getMessage());
		}
	}

	private void releaseQuietly(LeasedJob job) {
		try {
			queue.release(job);
		}
		catch (RuntimeException e) {
			log.debug("could not hand job {} back: {}", job.id(), e.getMessage());
		}
	}

	private static String truncate(String error) {
		return error == null || error.length() <= 900 ? error : error.substring(0, 900) + "…";
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
