package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.queue.JobContext;
import dev.videoforge.queue.JobFailure;
import dev.videoforge.queue.JobHandler;
import dev.videoforge.queue.JobRuntime;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobType;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.support.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job runtime on H2 with handlers written for the test: jobs reach the handler of their kind
 * with their typed payload, failures are retried with the queue's backoff or dead-lettered, and
 * stopping hands a running job back. What the handlers do is recorded; what the queue holds is read
 * back from the database.
 */
class JobRuntimeTests {

	record Greeting(String name, int times) {
	}

	record Farewell(String name) {
	}

	static final String QUEUE = "runtime-test";
	static final JobType<Greeting> GREETING = JobType.of(QUEUE, "greeting", Greeting.class)
			.readingLegacy(text -> new Greeting(text, 1));
	static final JobType<Farewell> FAREWELL = JobType.of(QUEUE, "farewell", Farewell.class);

	private static final QueueSettings SETTINGS = new QueueSettings("jdbc", Duration.ofSeconds(2), 2, Duration.ofMillis(50),
			Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofDays(1), 2, 0,
			Duration.ofMillis(200), Duration.ofSeconds(2));

	private HikariDataSource dataSource;
	private JobStore queue;
	private JobRuntime runtime;
	private final Queue<String> seen = new ConcurrentLinkedQueue<>();

	/** A handler that records what it was given and told, and behaves as {@code behaviour} says. */
	class Recording<P extends Record> implements JobHandler<P> {

		interface Behaviour<P> {
			void run(P job, JobContext context) throws Exception;
		}

		private final JobType<P> type;
		private final Behaviour<P> behaviour;

		Recording(JobType<P> type, Behaviour<P> behaviour) {
			this.type = type;
			this.behaviour = behaviour;
		}

		@Override
		public JobType<P> type() {
			return type;
		}

		@Override
		public void handle(P job, JobContext context) throws Exception {
			seen.add("handle " + job + " attempt " + context.lease().attempt());
			behaviour.run(job, context);
		}

		@Override
		public void retrying(P job, JobFailure reason) {
			seen.add("retrying " + job + ": " + reason.getMessage());
		}

		@Override
		public void gaveUp(P job, JobFailure reason) {
			seen.add("gave up " + job + ": " + reason.getMessage());
		}

		@Override
		public void handedBack(P job) {
			seen.add("handed back " + job);
		}
	}

	@BeforeEach
	void database() {
		dataSource = TestDatabases.h2();
		queue = new JdbcJobQueue(JdbcClient.create(dataSource), SETTINGS, Clock.systemUTC(), false);
	}

	@AfterEach
	void close() {
		if (runtime != null) {
			runtime.stop();
		}
		dataSource.close();
	}

	private void start(List<JobHandler<?>> handlers) {
		runtime = new JobRuntime(queue, queue, SETTINGS, new JobRuntime.Pool(QUEUE, 1, 2, Duration.ofSeconds(1),
				SETTINGS.visibilityTimeout()), handlers);
		runtime.start();
	}

	private JobView await(String dedupeKey, JobState state) throws InterruptedException {
		await("job " + dedupeKey + " " + state, () -> queue.findByDedupeKey(dedupeKey).filter(j -> j.state() == state).isPresent());
		return queue.findByDedupeKey(dedupeKey).orElseThrow();
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plusSeconds(20);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
			Thread.sleep(20);
		}
	}

	@Test
	void aPoolReportsItselfToTheFleetWhileItRunsAndLeavesWhenItStops() throws Exception {
		JdbcFleet fleet = new JdbcFleet(JdbcClient.create(dataSource), Clock.systemUTC(), SETTINGS.fleetTimeout());
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		runtime = new JobRuntime(queue, queue, SETTINGS, new JobRuntime.Pool(QUEUE, 1, 2, Duration.ofSeconds(1),
				SETTINGS.visibilityTimeout()), List.of(new Recording<>(GREETING, (job, context) -> release.await())), fleet);
		runtime.start();
		await("the pool in the fleet", () -> fleet.members(QUEUE).size() == 1);
		var member = fleet.members(QUEUE).getFirst();
		assertThat(member.worker()).isEqualTo(runtime.workerId());
		assertThat(member.max()).isEqualTo(2);
		assertThat(fleet.members("another-queue")).isEmpty();

		// Busy with one job: the next report says so.
		queue.enqueue(GREETING, new Greeting("ada", 1), "busy", "u1");
		await("the busy pool reported", () -> fleet.members(QUEUE).getFirst().busy() == 1);
		release.countDown();
		await("the idle pool reported", () -> fleet.members(QUEUE).getFirst().busy() == 0);

		runtime.stop();
		assertThat(fleet.members(null)).as("a stopped pool leaves").isEmpty();
		runtime = null;
	}

	@Test
	void aPoolThatStopsReportingDropsOutAfterTheTimeout() {
		java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
				Instant.parse("2026-12-05T12:00:00Z"));
		Clock clock = new Clock() {
			@Override
			public java.time.ZoneId getZone() {
				return java.time.ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now.get();
			}
		};
		JdbcFleet fleet = new JdbcFleet(JdbcClient.create(dataSource), clock, Duration.ofSeconds(20));
		fleet.report(new dev.videoforge.queue.FleetMember("1@a/transcode-1", "transcode", "a", now.get(), now.get(), 1, 2, 2));
		now.set(now.get().plusSeconds(10));
		fleet.report(new dev.videoforge.queue.FleetMember("2@b/transcode-2", "transcode", "b", now.get(), now.get(), 0, 1, 2));
		assertThat(fleet.members("transcode")).extracting(dev.videoforge.queue.FleetMember::host).containsExactly("a", "b");
		now.set(now.get().plusSeconds(15));
		assertThat(fleet.members("transcode")).as("a silent for 25 s, b for 15 s").extracting(dev.videoforge.queue.FleetMember::host)
				.containsExactly("b");
		now.set(now.get().plus(Duration.ofHours(2)));
		assertThat(fleet.forgetSilent(Duration.ofHours(1))).isEqualTo(2);
	}

	@Test
	void eachKindReachesItsOwnHandlerWithItsTypedPayload() throws Exception {
		start(List.of(new Recording<>(GREETING, (job, context) -> {
		}), new Recording<>(FAREWELL, (job, context) -> {
		})));
		queue.enqueue(GREETING, new Greeting("ada", 3), "g1", "u1");
		queue.enqueue(FAREWELL, new Farewell("bob"), "f1", "u1");

		await("g1", JobState.DONE);
		await("f1", JobState.DONE);
		assertThat(seen).contains("handle Greeting[name=ada, times=3] attempt 1", "handle Farewell[name=bob] attempt 1");
		assertThat(queue.findByDedupeKey("g1").orElseThrow().payload())
				.as("the payload an operator reads names its kind").isEqualTo("{\"kind\":\"greeting\",\"name\":\"ada\",\"times\":3}");
	}

	@Test
	void aPayloadOfAnOlderVersionGoesToTheHandlerThatReadsIt() throws Exception {
		start(List.of(new Recording<>(GREETING, (job, context) -> {
		}), new Recording<>(FAREWELL, (job, context) -> {
		})));
		queue.enqueue(QUEUE, "carol", "legacy", "u1");

		await("legacy", JobState.DONE);
		assertThat(seen).containsExactly("handle Greeting[name=carol, times=1] attempt 1");
	}

	@Test
	void aFailureIsRetriedAfterABackoffAndTheHandlerHearsOfIt() throws Exception {
		start(List.of(new Recording<>(GREETING, (job, context) -> {
			if (context.lease().attempt() == 1) {
				throw new IllegalStateException("disk full");
			}
		})));
		queue.enqueue(GREETING, new Greeting("dan", 1), "g", "u1");

		JobView done = await("g", JobState.DONE);
		assertThat(done.attempts()).isEqualTo(2);
		assertThat(seen).containsExactly("handle Greeting[name=dan, times=1] attempt 1",
				"retrying Greeting[name=dan, times=1]: an internal error stopped the job: disk full",
				"handle Greeting[name=dan, times=1] attempt 2");
	}

	@Test
	void aPermanentFailureIsDeadLetteredAtOnceAndAttemptsRunOutToo() throws Exception {
		start(List.of(new Recording<>(GREETING, (job, context) -> {
			throw new JobFailure(job.name().equals("permanent"), "broken " + job.name());
		})));
		queue.enqueue(GREETING, new Greeting("permanent", 1), "p", "u1");
		queue.enqueue(GREETING, new Greeting("flaky", 1), "f", "u1");

		JobView permanent = await("p", JobState.DEAD);
		JobView flaky = await("f", JobState.DEAD);
		assertThat(permanent.attempts()).as("not retried").isEqualTo(1);
		assertThat(permanent.lastError()).isEqualTo("broken permanent");
		assertThat(flaky.attempts()).as("every attempt of the queue's setting").isEqualTo(SETTINGS.maxAttempts());
		assertThat(seen).contains("gave up Greeting[name=permanent, times=1]: broken permanent",
				"retrying Greeting[name=flaky, times=1]: broken flaky", "gave up Greeting[name=flaky, times=1]: broken flaky");
	}

	@Test
	void aKindThisProcessDoesNotKnowIsLeftForOneThatDoes() throws Exception {
		start(List.of(new Recording<>(GREETING, (job, context) -> {
		})));
		queue.enqueue(FAREWELL, new Farewell("eve"), "f", "u1");

		await("the unknown kind tried", () -> queue.findByDedupeKey("f").orElseThrow().attempts() >= 1);
		JobView job = queue.findByDedupeKey("f").orElseThrow();
		assertThat(job.state()).as("not acked, not lost").isIn(JobState.QUEUED, JobState.LEASED, JobState.DEAD);
		assertThat(job.state()).isNotEqualTo(JobState.DONE);
		assertThat(seen).isEmpty();
	}

	@Test
	void stoppingHandsARunningJobBackAtOnce() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		start(List.of(new Recording<>(GREETING, (job, context) -> {
			running.countDown();
			Thread.sleep(60_000);
		})));
		queue.enqueue(GREETING, new Greeting("fay", 1), "g", "u1");
		assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

		runtime.stop();
		JobView job = queue.findByDedupeKey("g").orElseThrow();
		assertThat(job.state()).as("given back, not left to its lease").isEqualTo(JobState.QUEUED);
		assertThat(job.attempts()).as("the attempt is not charged").isZero();
		assertThat(seen).contains("handed back Greeting[name=fay, times=1]");
	}

	@Test
	void aHandlerSeesWhenItsLeaseWentToAnotherWorker() throws Exception {
		CountDownLatch lost = new CountDownLatch(1);
		start(List.of(new Recording<>(GREETING, (job, context) -> {
			// Another worker takes the job over: here, the row's lease is moved by hand.
			JdbcClient.create(dataSource).sql("UPDATE jobs SET version = version + 1 WHERE dedupe_key = 'g'").update();
			Instant deadline = Instant.now().plusSeconds(10);
			while (context.leaseHeld() && Instant.now().isBefore(deadline)) {
				Thread.sleep(20);
			}
			if (!context.leaseHeld()) {
				lost.countDown();
			}
			throw new InterruptedException("lease lost");
		})));
		queue.enqueue(GREETING, new Greeting("gus", 1), "g", "u1");

		assertThat(lost.await(20, TimeUnit.SECONDS)).as("the heartbeat found the lease gone").isTrue();
		await("the attempt to end", () -> runtime.busyWorkers() == 0);
		assertThat(queue.findByDedupeKey("g").orElseThrow().state()).as("left as the new owner holds it").isEqualTo(JobState.LEASED);
		assertThat(seen).noneMatch(line -> line.startsWith("retrying") || line.startsWith("gave up") || line.startsWith("handed back"));
	}
}
