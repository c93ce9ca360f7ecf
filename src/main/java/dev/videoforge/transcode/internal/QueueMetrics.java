package dev.videoforge.transcode.internal;

import dev.videoforge.queue.JobRuntime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The figures an external autoscaler (KEDA, an AWS target-tracking policy) acts on, at
 * {@code /actuator/prometheus}: backlog, age of the oldest waiting job, jobs in flight, dead
 * letters, and this processor's busy and desired worker counts.
 */
final class QueueMetrics {

	private QueueMetrics() {
	}

	static void register(MeterRegistry registry, JobRuntime worker) {
		Gauge.builder("videoforge.queue.backlog", worker, w -> w.lastStats().queued())
				.description("transcode jobs waiting").register(registry);
		Gauge.builder("videoforge.queue.oldest.age", worker, w -> w.lastStats().oldestQueuedAgeSeconds())
				.description("how long the oldest waiting transcode job has waited").baseUnit("seconds").register(registry);
		Gauge.builder("videoforge.queue.in.flight", worker, w -> w.lastStats().inFlight())
				.description("transcode jobs being worked on by any processor").register(registry);
		Gauge.builder("videoforge.queue.dead.lettered", worker, w -> w.lastStats().deadLettered())
				.description("transcode jobs that used all their attempts").register(registry);
		Gauge.builder("videoforge.workers.busy", worker, JobRuntime::busyWorkers)
				.description("transcodes this processor is running").register(registry);
		Gauge.builder("videoforge.workers.desired", worker, JobRuntime::desiredWorkers)
				.description("transcodes this processor wants to run for the backlog").register(registry);
	}
}
