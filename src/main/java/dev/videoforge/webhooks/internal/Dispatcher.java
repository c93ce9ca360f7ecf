package dev.videoforge.webhooks.internal;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobType;
import dev.videoforge.queue.Queues;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a due delivery on the job queue. The delivery row is claimed first (its job serial moves
 * on, conditionally), then the job is queued under a dedupe key made of the delivery and that
 * serial: two processes dispatching at once queue one job, and a job queued for an older serial
 * is recognised as stale by the worker. A crash between the claim and the queueing leaves the
 * delivery marked queued with no job; the sweeper queues it again after {@code requeue-after}.
 */
class Dispatcher {

	private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

	private final WebhookStore store;
	private final JobQueue queue;

	Dispatcher(WebhookStore store, JobQueue queue) {
		this.store = store;
		this.queue = queue;
	}

	/** One attempt of one delivery: the serial tells a current job from one a newer job replaced. */
	record Attempt(String deliveryId, int serial) {
	}

	/** Jobs queued before payloads were typed read {@code <deliveryId>:<serial>}. */
	static final JobType<Attempt> ATTEMPT = JobType.of(Queues.WEBHOOK, "webhook", Attempt.class).readingLegacy(text -> {
		String[] parts = text.split(":", 2);
		return new Attempt(parts[0], parts.length == 2 ? Integer.parseInt(parts[1]) : -1);
	});

	/** Queues the delivery's next attempt; false when another process did it first. */
	boolean dispatch(Delivery delivery, String ownerId) {
		if (!store.markQueued(delivery.id(), delivery.jobSerial(), Instant.now())) {
			return false;
		}
		int serial = delivery.jobSerial() + 1;
		queue.enqueue(ATTEMPT, new Attempt(delivery.id(), serial), "webhook:" + delivery.id() + ":" + serial, ownerId);
		log.debug("delivery {} queued (job serial {})", delivery.id(), serial);
		return true;
	}

	/** Queues the delivery if it is still waiting (after its creating transaction committed). */
	void dispatch(String deliveryId) {
		try {
			store.delivery(deliveryId).filter(d -> d.status() == Delivery.Status.PENDING && d.queuedAt() == null)
					.ifPresent(d -> dispatch(d, store.endpoint(d.endpointId()).map(Endpoint::ownerId).orElse(null)));
		}
		catch (RuntimeException e) {
			// The sweeper queues it: the row is durable, only the prompt start is lost.
			log.warn("delivery {}: could not queue it now ({}); the sweeper will", deliveryId, e.getMessage());
		}
	}
}
