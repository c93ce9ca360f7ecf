package dev.videoforge.webhooks.internal;

import dev.videoforge.webhooks.WebhookSettings;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code sweep-interval} on the processor role, queues the deliveries that are due and have
 * no live job: retries, deliveries recorded by a process that died before queueing them, and jobs
 * lost for longer than {@code requeue-after}. It also runs at start, which is the start-up
 * recovery, and now and then forgets deliveries past their retention.
 */
class DeliverySweeper implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliverySweeper.class);

	private final WebhookSettings settings;
	private final WebhookStore store;
	private final Dispatcher dispatcher;
	private final AtomicBoolean running = new AtomicBoolean();
	private volatile ScheduledExecutorService sweeper;
	private volatile long lastPurge;

	DeliverySweeper(WebhookSettings settings, WebhookStore store, Dispatcher dispatcher) {
		this.settings = settings;
		this.store = store;
		this.dispatcher = dispatcher;
	}

	@Override
	public void start() {
		if (!running.compareAndSet(false, true)) {
			return;
		}
		sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "webhook-sweeper");
			t.setDaemon(true);
			return t;
		});
		sweeper.scheduleWithFixedDelay(this::sweep, 0, settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (running.compareAndSet(true, false)) {
			sweeper.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return running.get();
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
				// Finished jobs are the job runtime's to forget; the delivery log is ours.
				int deliveries = store.purge(now.minus(settings.logRetention()));
				if (deliveries > 0) {
					log.info("forgot {} webhook deliveries past their retention", deliveries);
				}
			}
		}
		catch (RuntimeException e) {
			log.warn("webhook sweep: {}", e.getMessage());
		}
	}
}
