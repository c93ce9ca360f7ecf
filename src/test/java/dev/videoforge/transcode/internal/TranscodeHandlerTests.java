package dev.videoforge.transcode.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Catalogs;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.Sandbox;
import dev.videoforge.queue.JobRuntime;
import dev.videoforge.queue.JobState;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.JobView;
import dev.videoforge.queue.LeasedJob;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.Queues;
import dev.videoforge.queue.internal.JdbcJobQueue;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.storage.internal.LocalBlobStore;
import dev.videoforge.support.Media;
import dev.videoforge.support.TestDatabases;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The processor's worker below the HTTP level, wired by hand with its real parts: a JdbcJobQueue on
 * H2, the catalog, local storage, and the real Transcoder running ffmpeg on tiny generated clips.
 * What it does with a job: ack after READY, dead letter on a file that is not media or whose
 * processors kept dying, hand the job back when it stops, and let go when its lease is taken.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TranscodeHandlerTests {

	@TempDir
	static Path clips;
	private static Path shortClip;
	private static Path longClip;

	@TempDir
	Path dir;
	private HikariDataSource database;
	private JdbcClient jdbc;
	private JobStore queue;
	private VideoCatalog catalog;
	private BlobStore blobs;
	private JobRuntime worker;
	private Path workDir;

	@BeforeAll
	static void clips() throws Exception {
		shortClip = clips.resolve("short.mp4");
		longClip = clips.resolve("long.mp4");
		generate(shortClip, 2, "160x120");
		generate(longClip, 40, "480x270");
	}

	private static void generate(Path file, int seconds, String size) throws Exception {
		Media.Run run = Media.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
				"testsrc=size=" + size + ":rate=25:duration=" + seconds, "-f", "lavfi", "-i", "sine=duration=" + seconds, "-c:v",
				"libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file.toString()), 60);
		assertThat(run.exitCode()).as(run.stderr()).isZero();
	}

	private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(new HashMap<>(values))).bindOrCreate(prefix, type);
	}

	private final QueueSettings queueSettings = bind("videoforge.queue", QueueSettings.class,
			Map.of("videoforge.queue.poll-interval", "100ms", "videoforge.queue.visibility-timeout", "3s",
					"videoforge.queue.max-attempts", "2", "videoforge.queue.backoff-base", "100ms",
					"videoforge.queue.max-lease-expiries", "1"));

	@BeforeEach
	void wire() throws IOException {
		database = TestDatabases.h2();
		jdbc = JdbcClient.create(database);
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES ('u1', 'alice', 'x', 'USER', ?)")
				.param(OffsetDateTime.now(ZoneOffset.UTC)).update();
		queue = new JdbcJobQueue(jdbc, queueSettings, Clock.systemUTC(), false);
		blobs = new LocalBlobStore(dir.resolve("blobs"));
		catalog = Catalogs.catalog(jdbc, blobs);
		MediaSettings media = bind("videoforge.media", MediaSettings.class, Map.of("videoforge.media.sandbox", "off"));
		Sandbox sandbox = new Sandbox(media);
		TranscodeSettings transcode = bind("videoforge.transcode", TranscodeSettings.class,
				Map.of("videoforge.transcode.min-workers", "1", "videoforge.transcode.max-workers", "1"));
		Transcoder transcoder = new Transcoder(blobs, new MediaProbe(media, sandbox), media, transcode, sandbox,
				Duration.ofHours(1));
		workDir = dir.resolve("work");
		worker = new JobRuntime(queue, queue, queueSettings,
				new JobRuntime.Pool(Queues.TRANSCODE, 1, 1, Duration.ofSeconds(30), queueSettings.visibilityTimeout()),
				List.of(new TranscodeHandler(catalog, blobs, transcoder, workDir)));
	}

	@AfterEach
	void stop() {
		worker.stop();
		database.close();
	}

	/** An uploaded video whose original is {@code file}, QUEUED with its job. */
	private Video uploaded(Path file) throws IOException {
		Video video = catalog.create(new CurrentUser("u1", "alice", List.of("USER")), "clip", null, Visibility.PUBLIC,
				file.getFileName().toString(), Files.size(file));
		blobs.put(VideoFiles.original(video.id()), file);
		assertThat(catalog.markQueued(video.id())).isTrue();
		queue.enqueue(Queues.TRANSCODE_VIDEO, new Queues.TranscodeVideo(video.id()), Queues.transcodeKey(video.id()), "u1");
		return video;
	}

	private JobView job(Video video) {
		return queue.findByDedupeKey("transcode:" + video.id()).orElseThrow();
	}

	private static <T> T await(String what, Duration limit, Supplier<Optional<T>> condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(limit);
		while (true) {
			Optional<T> value = condition.get();
			if (value.isPresent()) {
				return value.get();
			}
			assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
			Thread.sleep(20);
		}
	}

	private Video awaitStatus(Video video, VideoStatus status) throws InterruptedException {
		return await(video.id() + " " + status, Duration.ofSeconds(60),
				() -> catalog.find(video.id()).filter(v -> v.status() == status));
	}

	/** The ffmpeg processes this JVM runs on this test's work folder. */
	private List<ProcessHandle> ffmpegs() {
		return ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
				.filter(p -> String.join(" ", p.info().arguments().orElse(new String[0])).contains(workDir.toString()))
				.toList();
	}

	private List<Path> workLeft() throws IOException {
		if (!Files.exists(workDir)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(workDir)) {
			return entries.toList();
		}
	}

	@Test
	void transcodesAQueuedVideoToReadyAcksTheJobAndKeepsTheLog() throws Exception {
		Video video = uploaded(shortClip);
		worker.start();
		Video ready = awaitStatus(video, VideoStatus.READY);
		assertThat(ready.renditions()).isNotEmpty();
		assertThat(ready.durationSeconds()).isCloseTo(2.0, within(0.2));
		assertThat(ready.width()).isEqualTo(160);
		assertThat(blobs.stat(VideoFiles.renditions(video.id()) + "master.m3u8")).isPresent();
		JobView job = await("the job acked", Duration.ofSeconds(10),
				() -> Optional.of(job(video)).filter(j -> j.state() == JobState.DONE));
		assertThat(job.attempts()).isEqualTo(1);
		// The log is stored once the attempt has ended, which may be just after the ack.
		await("the attempt's ffmpeg log", Duration.ofSeconds(10), () -> {
			try {
				return blobs.stat(VideoFiles.log(video.id(), job.id(), 1));
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		await("the work folder emptied", Duration.ofSeconds(10), () -> {
			try {
				return workLeft().isEmpty() ? Optional.of(true) : Optional.empty();
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
	}

	@Test
	void aFileThatIsNotMediaIsDeadLetteredAtOnceAndTheVideoSaysWhy() throws Exception {
		Path junk = dir.resolve("junk.mp4");
		Files.write(junk, new byte[64 * 1024]);
		Video video = uploaded(junk);
		worker.start();
		Video failed = awaitStatus(video, VideoStatus.FAILED);
		assertThat(failed.error()).isEqualTo(TranscodeFailure.NOT_MEDIA);
		JobView job = job(video);
		assertThat(job.state()).isEqualTo(JobState.DEAD);
		assertThat(job.attempts()).as("not retried: another attempt fails the same way").isEqualTo(1);
		assertThat(queue.stats(Queues.TRANSCODE).deadLettered()).isEqualTo(1);
	}

	@Test
	void aJobWhoseWorkersKeptDyingIsDeadLetteredWithoutAnotherTry() throws Exception {
		Video video = uploaded(shortClip);
		// Workers that lease the job and die: their leases run out, one after another.
		LeasedJob job = await("a lease past the allowed expiries", Duration.ofSeconds(20), () -> {
			Optional<LeasedJob> leased = queue.lease(Queues.TRANSCODE, "dying-worker", Duration.ofMillis(1));
			return leased.filter(LeasedJob::leaseExpiriesExhausted);
		});
		worker.run(job);
		assertThat(catalog.find(video.id()).orElseThrow().status()).isEqualTo(VideoStatus.FAILED);
		assertThat(catalog.find(video.id()).orElseThrow().error()).isEqualTo(TranscodeFailure.INTERRUPTED);
		assertThat(job(video).state()).isEqualTo(JobState.DEAD);
		assertThat(ffmpegs()).as("no ffmpeg was started for it").isEmpty();
	}

	@Test
	void stoppingMidTranscodeKillsFfmpegAndHandsTheJobBack() throws Exception {
		Video video = uploaded(longClip);
		worker.start();
		List<ProcessHandle> running = await("ffmpeg transcoding", Duration.ofSeconds(30),
				() -> Optional.of(ffmpegs()).filter(l -> !l.isEmpty()));
		worker.stop();
		await("ffmpeg killed", Duration.ofSeconds(10), () -> running.stream().noneMatch(ProcessHandle::isAlive)
				? Optional.of(true) : Optional.empty());
		JobView job = job(video);
		assertThat(job.state()).as("handed back, not left leased").isEqualTo(JobState.QUEUED);
		Video back = catalog.find(video.id()).orElseThrow();
		assertThat(back.status()).isEqualTo(VideoStatus.QUEUED);
		assertThat(back.error()).contains("the processor was stopped");
	}

	@Test
	void aWorkerWhoseLeaseWasTakenKillsFfmpegAndLeavesTheJobToItsNewOwner() throws Exception {
		Video video = uploaded(longClip);
		worker.start();
		List<ProcessHandle> running = await("ffmpeg transcoding", Duration.ofSeconds(30),
				() -> Optional.of(ffmpegs()).filter(l -> !l.isEmpty()));
		// Another worker took the job over (with a lease of its own that outlasts the test): the lease
		// this worker holds no longer matches.
		String jobId = job(video).id();
		assertThat(jdbc.sql("UPDATE jobs SET version = version + 1, lease_owner = 'other-worker', lease_until = ? WHERE id = ?")
				.params(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10), jobId).update()).isEqualTo(1);
		await("ffmpeg killed after the next heartbeat", Duration.ofSeconds(20),
				() -> running.stream().noneMatch(ProcessHandle::isAlive) ? Optional.of(true) : Optional.empty());
		JobView job = job(video);
		assertThat(job.state()).as("still the new owner's").isEqualTo(JobState.LEASED);
		assertThat(job.worker()).isEqualTo("other-worker");
		assertThat(catalog.find(video.id()).orElseThrow().status()).as("not READY, not FAILED").isEqualTo(VideoStatus.PROCESSING);
	}
}
