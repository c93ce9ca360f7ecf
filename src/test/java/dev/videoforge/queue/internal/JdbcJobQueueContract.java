package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the database adapter adds to the port's contract: an exact history an operator can read. */
abstract class JdbcJobQueueContract extends JobQueueContract {

	/** A queue on the same database with other settings. */
	abstract JobStore queue(QueueSettings settings);

	@Test
	void aFreeWorkerTakesTheOldestJobOfTheAccountWithTheFewestRunning() {
		JobStore queue = queue();
		String name = "q" + System.nanoTime();
		for (int i = 0; i < 4; i++) {
			queue.enqueue(name, "alice-" + i, null, "alice");
		}
		queue.enqueue(name, "bob-0", null, "bob");
		queue.enqueue(name, "carol-0", null, "carol");
		assertThat(queue.lease(name, "w1", LEASE).orElseThrow().payload()).isEqualTo("alice-0");
		// Alice has one running: Bob's and Carol's jobs go before her older ones.
		assertThat(queue.lease(name, "w2", LEASE).orElseThrow().payload()).isEqualTo("bob-0");
		assertThat(queue.lease(name, "w3", LEASE).orElseThrow().payload()).isEqualTo("carol-0");
		// Nobody else waits: Alice's backlog uses the free workers.
		assertThat(queue.lease(name, "w4", LEASE).orElseThrow().payload()).isEqualTo("alice-1");
		queue.enqueue(name, "bob-1", null, "bob");
		assertThat(queue.lease(name, "w5", LEASE).orElseThrow().payload()).as("Bob (1 running) before Alice (2)")
				.isEqualTo("bob-1");
	}

	@Test
	void anAccountAtItsCapWaitsWhileOthersRunAndGoesOnWhenOneOfItsJobsEnds() {
		JobStore queue = queue(new QueueSettings("test", LEASE, 3, Duration.ofMillis(200), Duration.ofSeconds(2),
				Duration.ofMillis(50), Duration.ofDays(7), 4, 1,
				Duration.ofSeconds(5), Duration.ofSeconds(20)));
		String name = "q" + System.nanoTime();
		queue.enqueue(name, "alice-0", null, "alice");
		queue.enqueue(name, "alice-1", null, "alice");
		queue.enqueue(name, "bob-0", null, "bob");
		LeasedJob alice = queue.lease(name, "w1", LEASE).orElseThrow();
		assertThat(alice.payload()).isEqualTo("alice-0");
		assertThat(queue.lease(name, "w2", LEASE).orElseThrow().payload()).isEqualTo("bob-0");
		assertThat(queue.lease(name, "w3", LEASE)).as("Alice is at her cap of 1").isEmpty();
		assertThat(queue.ack(alice)).isTrue();
		assertThat(queue.lease(name, "w3", LEASE).orElseThrow().payload()).isEqualTo("alice-1");
	}

	@Test
	void tellsWhetherAnEnqueueCreatedTheJob() {
		JobStore queue = queue();
		String name = "q" + System.nanoTime();
		var first = queue.enqueue(name, "video-1", "key:" + name);
		var again = queue.enqueue(name, "video-1", "key:" + name);
		assertThat(first.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.jobId()).isEqualTo(first.jobId());
	}

	@Test
	void keepsFinishedJobsUntilTheirRetentionEnds() {
		JobStore queue = queue();
		String name = "q" + System.nanoTime();
		queue.enqueue(name, "p", null);
		var job = queue.lease(name, "w1", LEASE).orElseThrow();
		queue.ack(job);
		var done = queue.jobs(name, JobState.DONE, 10);
		assertThat(done).singleElement().satisfies(j -> {
			assertThat(j.attempts()).isEqualTo(1);
			assertThat(j.finishedAt()).isNotNull();
		});
		assertThat(queue.stats(name).done()).isEqualTo(1);
		assertThat(queue.find(job.id())).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.DONE));
		assertThat(queue.purgeDone(name, Duration.ofDays(1))).isZero();
		assertThat(queue.purgeDone(name, Duration.ZERO)).isEqualTo(1);
		assertThat(queue.find(job.id())).isEmpty();
	}

	@Test
	void showsTheLastErrorAndWhenAFailedJobIsDueAgain() {
		JobStore queue = queue();
		String name = "q" + System.nanoTime();
		queue.enqueue(name, "p", null);
		var job = queue.lease(name, "w1", LEASE).orElseThrow();
		queue.fail(job, "boom");
		var view = queue.jobs(name, JobState.QUEUED, 10).get(0);
		assertThat(view.lastError()).isEqualTo("boom");
		assertThat(view.runAt()).isAfter(view.createdAt());
		assertThat(queue.stats(name).oldestQueuedAgeSeconds()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void redrivesEveryDeadLetteredJob() {
		JobStore queue = queue();
		String name = "q" + System.nanoTime();
		for (int i = 0; i < 3; i++) {
			queue.enqueue(name, "p" + i, null);
			queue.deadLetter(queue.lease(name, "w", LEASE).orElseThrow(), "dead " + i);
		}
		assertThat(queue.stats(name).deadLettered()).isEqualTo(3);
		assertThat(queue.redriveAll(name)).isEqualTo(3);
		assertThat(queue.stats(name).queued()).isEqualTo(3);
	}
}
