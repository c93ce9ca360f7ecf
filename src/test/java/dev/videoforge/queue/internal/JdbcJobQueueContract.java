package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the database adapter adds to the port's contract: an exact history an operator can read. */
abstract class JdbcJobQueueContract extends JobQueueContract {

	@Test
	void tellsWhetherAnEnqueueCreatedTheJob() {
		JobQueue queue = queue();
		String name = "q" + System.nanoTime();
		var first = queue.enqueue(name, "video-1", "key:" + name);
		var again = queue.enqueue(name, "video-1", "key:" + name);
		assertThat(first.created()).isTrue();
		assertThat(again.created()).isFalse();
		assertThat(again.jobId()).isEqualTo(first.jobId());
	}

	@Test
	void keepsFinishedJobsUntilTheirRetentionEnds() {
		JobQueue queue = queue();
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
		JobQueue queue = queue();
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
		JobQueue queue = queue();
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
