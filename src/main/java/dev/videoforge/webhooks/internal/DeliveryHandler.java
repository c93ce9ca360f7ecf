package dev.videoforge.webhooks.internal;

import dev.videoforge.queue.JobContext;
import dev.videoforge.queue.JobHandler;
import dev.videoforge.queue.JobType;
import dev.videoforge.webhooks.WebhookSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook deliveries, one attempt per job of the {@code webhook} queue, run by the
 * processor role's {@link dev.videoforge.queue.JobRuntime} for that queue (never the transcode
 * queue's workers, so a slow endpoint never holds a transcode). Each attempt is recorded on the
 * delivery and the job acked. The retry schedule is the webhooks' own
 * ({@link WebhookSettings#retrySchedule()}), not the queue's backoff: a failed attempt sets the
 * delivery's next attempt time, and {@link DeliverySweeper} queues a new job when it is due. So
 * the queue never holds a job for hours (SQS delays stop at 15 minutes), and a delivery is
 * retried for over a day however the queue is configured.
 */
class DeliveryHandler implements JobHandler<Dispatcher.Attempt> {

	private static final Logger log = LoggerFactory.getLogger(DeliveryHandler.class);

	private final WebhookSettings settings;
	private final WebhookStore store;
	private final WebhookSender sender;

	DeliveryHandler(WebhookSettings settings, WebhookStore store, WebhookSender sender) {
		this.settings = settings;
		this.store = store;
		this.sender = sender;
	}

	/** A lease outlasts the longest attempt (connect + read timeout) with room to record it. */
	static Duration visibility(WebhookSettings settings) {
		return settings.connectTimeout().plus(settings.readTimeout()).plusSeconds(30);
	}

	@Override
	public JobType<Dispatcher.Attempt> type() {
		return Dispatcher.ATTEMPT;
	}

	/** One attempt of the delivery the job stands for, recorded, then the job acked. */
	@Override
	public void handle(Dispatcher.Attempt job, JobContext context) {
		int serial = job.serial();
		Optional<Delivery> found = store.delivery(job.deliveryId());
		Optional<Endpoint> endpoint = found.flatMap(d -> store.endpoint(d.endpointId()));
		if (found.isEmpty() || endpoint.isEmpty() || found.get().status() != Delivery.Status.PENDING
				|| found.get().jobSerial() != serial) {
			// Deleted, already settled, or a newer job stands for it: nothing to send.
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
	}

	private static String truncate(String error) {
		return error == null || error.length() <= 900 ? error : error.substring(0, 900) + "…";
	}
}
