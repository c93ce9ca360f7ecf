package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} adapter must do; one subclass per backend. Durations are short so
 * redelivery and backoff happen within the test.
 */
abstract class JobQueueContract {

	static final QueueSettings SETTINGS = new QueueSettings(Duration.ofSeconds(30), 3, Duration.ofMillis(200),
			Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofDays(7));
	static final Duration LEASE = Duration.ofSeconds(30);

	/** A fresh, empty queue for each test. */
	abstract JobQueue queue();

	private String q() {
		return "q" + System.nanoTime();
	}

	@Test
	void leasesJobsInTheOrderTheyWereAdded() {
		JobQueue queue = queue();
		String name = q();
		var first = queue.enqueue(name, "one", null);
		var second = queue.enqueue(name, "two", null);
		assertThat(first.created()).isTrue();
		assertThat(queue.lease(name, "w1", LEASE).orElseThrow().payload()).isEqualTo("one");
		assertThat(queue.lease(name, "w1", LEASE).orElseThrow().id()).isEqualTo(second.jobId());
		assertThat(queue.lease(name, "w1", LEASE)).isEmpty();
		assertThat(queue.lease("other-" + name, "w1", LEASE)).as("queues are separate").isEmpty();
	}

	@Test
	void theSameDedupeKeyMakesOneJob() {
		JobQueue queue = queue();
		String name = q();
		var first = queue.enqueue(name, "video-1", "transcode:video-1:" + name);
		var again = queue.enqueue(name, "video-1", "transcode:video-1:" + name);
		assertThat(again.created()).isFalse();
		assertThat(again.jobId()).isEqualTo(first.jobId());
		assertThat(queue.stats(name).queued()).isEqualTo(1);
	}

	@Test
	void aLeasedJobIsInvisibleUntilItsLeaseRunsOut() throws Exception {
		JobQueue queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob held = queue.lease(name, "w1", Duration.ofMillis(300)).orElseThrow();
		assertThat(held.attempt()).isEqualTo(1);
		assertThat(queue.lease(name, "w2", LEASE)).isEmpty();
		assertThat(queue.stats(name).inFlight()).isEqualTo(1);
		Thread.sleep(450);
		LeasedJob redelivered = queue.lease(name, "w2", LEASE).orElseThrow();
		assertThat(redelivered.id()).isEqualTo(held.id());
		assertThat(redelivered.attempt()).isEqualTo(2);
		// The worker that lost the lease can neither extend nor finish the job.
		assertThat(queue.heartbeat(held, LEASE)).isFalse();
		assertThat(queue.ack(held)).isFalse();
		assertThat(queue.ack(redelivered)).isTrue();
		assertThat(queue.jobs(name, JobState.DONE, 10)).hasSize(1);
	}

	@Test
	void heartbeatsKeepTheLease() throws Exception {
		JobQueue queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob held = queue.lease(name, "w1", Duration.ofMillis(300)).orElseThrow();
		for (int i = 0; i < 4; i++) {
			Thread.sleep(150);
			assertThat(queue.heartbeat(held, Duration.ofMillis(300))).isTrue();
		}
		assertThat(queue.lease(name, "w2", LEASE)).isEmpty();
	}

	@Test
	void ackIsIdempotent() {
		JobQueue queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob job = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(queue.ack(job)).isTrue();
		assertThat(queue.ack(job)).isFalse();
		assertThat(queue.stats(name).done()).isEqualTo(1);
		assertThat(queue.lease(name, "w1", LEASE)).isEmpty();
	}

	@Test
	void aFailedJobComesBackAfterABackoff() throws Exception {
		JobQueue queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob job = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(queue.fail(job, "boom")).isEqualTo(JobQueue.FailOutcome.RETRY);
		var view = queue.jobs(name, JobState.QUEUED, 10).get(0);
		assertThat(view.lastError()).isEqualTo("boom");
		assertThat(view.runAt()).isAfter(view.createdAt());
		long waited = 0;
		Optional<LeasedJob> again = Optional.empty();
		while (again.isEmpty() && waited < 2000) {
			again = queue.lease(name, "w1", LEASE);
			Thread.sleep(20);
			waited += 20;
		}
		assertThat(again).as("due again after the backoff").isPresent();
		assertThat(again.get().attempt()).isEqualTo(2);
	}

	@Test
	void deadLettersAfterTheLastAttemptAndRedrivesIt() throws Exception {
		JobQueue queue = queue();
		String name = q();
		String id = queue.enqueue(name, "p", null).jobId();
		JobQueue.FailOutcome outcome = null;
		for (int attempt = 1; attempt <= 3; attempt++) {
			LeasedJob job = awaitLease(queue, name);
			assertThat(job.attempt()).isEqualTo(attempt);
			outcome = queue.fail(job, "failure " + attempt);
		}
		assertThat(outcome).isEqualTo(JobQueue.FailOutcome.DEAD);
		assertThat(queue.stats(name).deadLettered()).isEqualTo(1);
		var dead = queue.jobs(name, JobState.DEAD, 10);
		assertThat(dead).singleElement().satisfies(j -> {
			assertThat(j.lastError()).isEqualTo("failure 3");
			assertThat(j.attempts()).isEqualTo(3);
		});
		Thread.sleep(2100);
		assertThat(queue.lease(name, "w1", LEASE)).as("dead jobs are not delivered").isEmpty();

		assertThat(queue.redrive(id)).isTrue();
		assertThat(queue.redrive(id)).as("only dead jobs are redriven").isFalse();
		LeasedJob revived = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(revived.attempt()).isEqualTo(1);
	}

	@Test
	void aJobWhoseWorkersKeepDyingIsMarkedExhausted() throws Exception {
		JobQueue queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob last = null;
		for (int i = 0; i < 4; i++) {
			last = queue.lease(name, "w" + i, Duration.ofMillis(100)).orElseThrow();
			Thread.sleep(150);
		}
		assertThat(last.attempt()).isEqualTo(4);
		assertThat(last.attemptsExhausted()).isTrue();
		queue.deadLetter(last, "workers kept dying");
		assertThat(queue.stats(name).deadLettered()).isEqualTo(1);
	}

	@Test
	void noJobIsDeliveredToTwoLiveWorkersAtOnce() throws Exception {
		JobQueue queue = queue();
		String name = q();
		int jobs = 300;
		for (int i = 0; i < jobs; i++) {
			queue.enqueue(name, "job-" + i, null);
		}
		int workers = 8;
		Map<String, Integer> deliveries = new ConcurrentHashMap<>();
		Set<String> held = ConcurrentHashMap.newKeySet();
		AtomicInteger overlaps = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(workers);
		List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
		for (int w = 0; w < workers; w++) {
			String worker = "w" + w;
			futures.add(pool.submit(() -> {
				start.await();
				int empty = 0;
				while (empty < 5) {
					Optional<LeasedJob> job = queue.lease(name, worker, LEASE);
					if (job.isEmpty()) {
						empty++;
						Thread.sleep(10);
						continue;
					}
					empty = 0;
					if (!held.add(job.get().id())) {
						overlaps.incrementAndGet();
					}
					deliveries.merge(job.get().id(), 1, Integer::sum);
					queue.ack(job.get());
					held.remove(job.get().id());
				}
				return null;
			}));
		}
		start.countDown();
		for (var f : futures) {
			f.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(overlaps.get()).isZero();
		assertThat(deliveries).hasSize(jobs);
		assertThat(deliveries.values()).allMatch(n -> n == 1);
		assertThat(queue.stats(name).done()).isEqualTo(jobs);
	}

	private static LeasedJob awaitLease(JobQueue queue, String name) throws InterruptedException {
		for (int i = 0; i < 200; i++) {
			Optional<LeasedJob> job = queue.lease(name, "w", LEASE);
			if (job.isPresent()) {
				return job.get();
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no job became due");
	}
}
