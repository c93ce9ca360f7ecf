package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
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

	/** Three failures and four lease expiries allowed: different budgets, so a test can tell which one counted. */
	static final QueueSettings SETTINGS = new QueueSettings("test", Duration.ofSeconds(30), 3, Duration.ofMillis(200),
			Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofDays(7), 4, 0,
			Duration.ofSeconds(5), Duration.ofSeconds(20));
	static final Duration LEASE = Duration.ofSeconds(30);

	/** A fresh, empty queue for each test. */
	abstract JobStore queue();

	/**
	 * The shortest lease the backend counts (SQS counts whole seconds): for leases a test waits out,
	 * always with a sleep of more than it, which no slowness of the machine can break.
	 */
	Duration shortLease() {
		return Duration.ofMillis(300);
	}

	/**
	 * A lease a test checks is still held right after taking it: long enough that a stall of the
	 * machine in between does not make the check fail by luck.
	 */
	Duration heldLease() {
		return Duration.ofMillis(1200).compareTo(shortLease()) > 0 ? Duration.ofMillis(1200) : shortLease();
	}

	/**
	 * Whether acting with a lease that was handed on is refused. A database can tell; SQS may
	 * accept a stale receipt handle without effect (its documentation says so).
	 */
	boolean refusesStaleLeases() {
		return true;
	}

	/**
	 * Whether jobs come out in the order they went in. SQS orders only within a message group,
	 * and each job is its own group so that jobs never wait on each other: best effort there.
	 */
	boolean ordersJobs() {
		return true;
	}

	static void sleep(Duration duration, double factor) throws InterruptedException {
		Thread.sleep((long) (duration.toMillis() * factor));
	}

	private String q() {
		return "q" + System.nanoTime();
	}

	@Test
	void leasesJobsInTheOrderTheyWereAdded() {
		JobStore queue = queue();
		String name = q();
		var first = queue.enqueue(name, "one", null);
		var second = queue.enqueue(name, "two", null);
		assertThat(first.created()).isTrue();
		LeasedJob a = queue.lease(name, "w1", LEASE).orElseThrow();
		LeasedJob b = queue.lease(name, "w1", LEASE).orElseThrow();
		if (ordersJobs()) {
			assertThat(a.payload()).isEqualTo("one");
			assertThat(b.id()).isEqualTo(second.jobId());
		}
		else {
			assertThat(List.of(a.id(), b.id())).containsExactlyInAnyOrder(first.jobId(), second.jobId());
		}
		assertThat(queue.lease(name, "w1", LEASE)).isEmpty();
		assertThat(queue.lease("other-" + name, "w1", LEASE)).as("queues are separate").isEmpty();
	}

	@Test
	void theSameDedupeKeyMakesOneJob() {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "video-1", "transcode:video-1:" + name);
		queue.enqueue(name, "video-1", "transcode:video-1:" + name);
		assertThat(queue.stats(name).queued()).isEqualTo(1);
		assertThat(queue.lease(name, "w1", LEASE)).isPresent();
		assertThat(queue.lease(name, "w2", LEASE)).isEmpty();
	}

	@Test
	void aLeasedJobIsInvisibleUntilItsLeaseRunsOut() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob held = queue.lease(name, "w1", heldLease()).orElseThrow();
		assertThat(held.attempt()).isEqualTo(1);
		assertThat(queue.lease(name, "w2", LEASE)).isEmpty();
		assertThat(queue.stats(name).inFlight()).isEqualTo(1);
		// Due again once the lease has run out (asked until then: SQS counts visibility in seconds).
		LeasedJob redelivered = awaitLease(queue, name, LEASE);
		assertThat(redelivered.id()).isEqualTo(held.id());
		assertThat(redelivered.attempt()).isEqualTo(2);
		if (refusesStaleLeases()) {
			// The worker that lost the lease can neither extend nor finish the job.
			assertThat(queue.heartbeat(held, LEASE)).isFalse();
			assertThat(queue.ack(held)).isFalse();
		}
		assertThat(queue.ack(redelivered)).isTrue();
		assertThat(queue.lease(name, "w3", shortLease())).as("done").isEmpty();
	}

	@Test
	void aWorkerWhoseLeaseWasHandedOnCannotFailOrDeadLetterTheJob() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob stale = queue.lease(name, "w1", shortLease()).orElseThrow();
		LeasedJob current = awaitLease(queue, name, LEASE);
		if (refusesStaleLeases()) {
			assertThat(queue.fail(stale, "late failure")).isEqualTo(JobQueue.FailOutcome.LOST);
			assertThat(queue.deadLetter(stale, "late")).isFalse();
		}
		assertThat(queue.stats(name).deadLettered()).isZero();
		assertThat(queue.heartbeat(current, LEASE)).as("the new holder keeps it").isTrue();
		assertThat(queue.ack(current)).isTrue();
	}

	@Test
	void aReleasedJobIsDueAgainAtOnce() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob job = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(queue.release(job)).isTrue();
		LeasedJob again = awaitLease(queue, name);
		assertThat(again.id()).isEqualTo(job.id());
		if (refusesStaleLeases()) {
			assertThat(again.attempt()).as("a release is not a failed attempt").isEqualTo(1);
			assertThat(queue.release(job)).as("the old lease").isFalse();
		}
	}

	@Test
	void heartbeatsKeepTheLease() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		// Heartbeats at a third of the lease, for longer than the lease: slack of two thirds each time.
		Duration lease = heldLease();
		LeasedJob held = queue.lease(name, "w1", lease).orElseThrow();
		for (int i = 0; i < 4; i++) {
			sleep(lease, 1.0 / 3);
			assertThat(queue.heartbeat(held, lease)).isTrue();
		}
		assertThat(queue.lease(name, "w2", LEASE)).isEmpty();
	}

	@Test
	void ackIsIdempotent() {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob job = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(queue.ack(job)).isTrue();
		boolean again = queue.ack(job);
		if (refusesStaleLeases()) {
			assertThat(again).isFalse();
		}
		assertThat(queue.lease(name, "w1", LEASE)).isEmpty();
		assertThat(queue.stats(name).queued()).isZero();
	}

	@Test
	void aFailedJobComesBackAfterABackoff() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob job = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(queue.fail(job, "boom")).isEqualTo(JobQueue.FailOutcome.RETRY);
		assertThat(queue.lease(name, "w1", LEASE)).as("not before the backoff").isEmpty();
		long waited = 0;
		Optional<LeasedJob> again = Optional.empty();
		while (again.isEmpty() && waited < 5000) {
			again = queue.lease(name, "w1", LEASE);
			Thread.sleep(20);
			waited += 20;
		}
		assertThat(again).as("due again after the backoff").isPresent();
		assertThat(again.get().attempt()).isEqualTo(2);
	}

	@Test
	void deadLettersAfterTheLastAttemptAndRedrivesIt() throws Exception {
		JobStore queue = queue();
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
		sleep(Duration.ofMillis(2100), 1);
		assertThat(queue.lease(name, "w1", LEASE)).as("dead jobs are not delivered").isEmpty();

		assertThat(queue.redrive(id)).isTrue();
		assertThat(queue.redrive(id)).as("only dead jobs are redriven").isFalse();
		LeasedJob revived = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(revived.attempt()).isEqualTo(1);
	}

	@Test
	void aJobWhoseWorkersKeepDyingIsExhaustedAfterItsOwnBudgetNotTheFailureBudget() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		LeasedJob last = null;
		// Each lease is left to run out, as when the worker holding it is killed.
		for (int i = 0; i <= SETTINGS.maxLeaseExpiries(); i++) {
			last = awaitLease(queue, name, shortLease());
			assertThat(last.leaseExpiries()).isEqualTo(i);
			assertThat(last.leaseExpiriesExhausted()).as("after %d expiries", i).isFalse();
			assertThat(last.chargedAttempt()).as("deaths are not failures").isEqualTo(1);
		}
		last = awaitLease(queue, name, shortLease());
		assertThat(last.leaseExpiries()).isEqualTo(SETTINGS.maxLeaseExpiries() + 1);
		assertThat(last.leaseExpiriesExhausted()).isTrue();
		assertThat(queue.deadLetter(last, "workers kept dying")).isTrue();
		assertThat(queue.stats(name).deadLettered()).isEqualTo(1);
	}

	@Test
	void leaseExpiriesDoNotUseUpTheFailureBudget() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		// Two workers die holding it (more than enough to kill a job under a shared budget of 3)...
		for (int i = 0; i < 2; i++) {
			awaitLease(queue, name, shortLease());
		}
		// ...and then the file fails three times: only the third failure dead-letters it.
		JobQueue.FailOutcome outcome = null;
		for (int failure = 1; failure <= SETTINGS.maxAttempts(); failure++) {
			LeasedJob job = awaitLease(queue, name);
			assertThat(job.leaseExpiries()).isEqualTo(2);
			assertThat(job.chargedAttempt()).isEqualTo(failure);
			outcome = queue.fail(job, "failure " + failure);
			assertThat(outcome).as("failure %d", failure)
					.isEqualTo(failure < SETTINGS.maxAttempts() ? JobQueue.FailOutcome.RETRY : JobQueue.FailOutcome.DEAD);
		}
		assertThat(queue.stats(name).deadLettered()).isEqualTo(1);
	}

	@Test
	void failuresDoNotUseUpTheLeaseExpiryBudget() throws Exception {
		JobStore queue = queue();
		String name = q();
		queue.enqueue(name, "p", null);
		for (int failure = 1; failure < SETTINGS.maxAttempts(); failure++) {
			assertThat(queue.fail(awaitLease(queue, name), "failure " + failure)).isEqualTo(JobQueue.FailOutcome.RETRY);
		}
		LeasedJob dying = awaitLease(queue, name, shortLease());
		assertThat(dying.leaseExpiries()).isZero();
		LeasedJob next = awaitLease(queue, name);
		assertThat(next.leaseExpiries()).isEqualTo(1);
		assertThat(next.leaseExpiriesExhausted()).isFalse();
		assertThat(next.chargedAttempt()).as("the two failures are remembered").isEqualTo(SETTINGS.maxAttempts());
		assertThat(next.lastChargedAttempt()).isTrue();
		assertThat(queue.fail(next, "the last one")).isEqualTo(JobQueue.FailOutcome.DEAD);
	}

	@Test
	void noJobIsDeliveredToTwoLiveWorkersAtOnce() throws Exception {
		JobStore queue = queue();
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
		assertThat(queue.lease(name, "w", LEASE)).isEmpty();
	}

	private static LeasedJob awaitLease(JobStore queue, String name) throws InterruptedException {
		return awaitLease(queue, name, LEASE);
	}

	static LeasedJob awaitLease(JobStore queue, String name, Duration lease) throws InterruptedException {
		for (int i = 0; i < 400; i++) {
			Optional<LeasedJob> job = queue.lease(name, "w", lease);
			if (job.isPresent()) {
				return job.get();
			}
			Thread.sleep(20);
		}
		throw new AssertionError("no job became due");
	}
}
