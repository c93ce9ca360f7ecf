package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.MediaTools;
import dev.videoforge.media.Sandbox;
import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.JobAdmin;
import dev.videoforge.queue.JobHandler;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobRuntime;
import dev.videoforge.queue.JobStore;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.Queues;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import dev.videoforge.shared.ScratchFolder;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TranscodeSettings.class)
@org.springframework.scheduling.annotation.EnableScheduling
class TranscodeConfiguration {

	@Bean
	EmbeddedCaptions embeddedCaptions(Captions captions, MediaTools tools, TranscodeSettings settings) {
		return new EmbeddedCaptions(captions, tools, settings);
	}

	@Bean
	Transcoder transcoder(BlobStore blobs, MediaProbe probe, MediaSettings media, TranscodeSettings settings,
			Sandbox sandbox, @Value("${videoforge.upload.max-duration:6h}") java.time.Duration maxDuration,
			EmbeddedCaptions captions, VideoCatalog catalog) {
		// The duration limit is the upload's setting; the transcoder never reads past it either.
		return new Transcoder(blobs, probe, media, settings, sandbox, maxDuration, captions, catalog);
	}

	@Bean
	ChunkedTranscode chunkedTranscode(BlobStore blobs, VideoCatalog catalog, JobQueue queue, JdbcClient jdbc,
			Transcoder transcoder, TranscodeSettings settings, MediaSettings media, TransactionTemplate transaction,
			EmbeddedCaptions captions, Fleet fleet) {
		return new ChunkedTranscode(blobs, catalog, queue, new ChunkStore(jdbc, catalog), transcoder, settings, media, transaction,
				captions, fleet);
	}

	/**
	 * The processor role's entry point: the {@code transcode} queue's job runtime with a handler
	 * per job kind, as many at once as the backlog asks, up to one per core.
	 */
	@Bean
	@OnRole(Role.PROCESSOR)
	JobRuntime transcodeWorker(JobQueue queue, JobAdmin admin, QueueSettings queueSettings, TranscodeSettings settings,
			VideoCatalog catalog, BlobStore blobs, Transcoder transcoder, @Value("${videoforge.data-dir}") Path dataDir,
			MeterRegistry meters, ChunkedTranscode chunks, Fleet fleet) {
		// Absolute: ffmpeg commands name files under it, and a helper run may start in another folder.
		Path workDir = (settings.workDir() != null ? settings.workDir() : dataDir.resolve("work")).toAbsolutePath();
		// Scratch left by a process that died mid-job is of no use to anyone.
		ScratchFolder.empty(workDir);
		JobRuntime worker = new JobRuntime(queue, admin, queueSettings,
				new JobRuntime.Pool(Queues.TRANSCODE, settings.minWorkers(), settings.effectiveMaxWorkers(),
						settings.scaleDownCooldown(), queueSettings.visibilityTimeout()),
				handlers(new TranscodeHandler(catalog, blobs, transcoder, workDir, chunks),
						ChunkHandlers.all(chunks, workDir)),
				fleet);
		QueueMetrics.register(meters, worker);
		return worker;
	}

	private static List<JobHandler<?>> handlers(JobHandler<?> first, List<JobHandler<?>> rest) {
		List<JobHandler<?>> all = new java.util.ArrayList<>(List.of(first));
		all.addAll(rest);
		return all;
	}

	/** Renditions kept a while after READY (the source's own pictures) go when their time is up. */
	@Bean
	@OnRole(Role.PROCESSOR)
	ExpiredRenditions expiredRenditions(ChunkedTranscode chunks) {
		return new ExpiredRenditions(chunks);
	}

	/** Videos left in a state no job will move are set moving when a processor starts. */
	@Bean
	@OnRole(Role.PROCESSOR)
	JobRecovery jobRecovery(JobStore queue, VideoCatalog catalog, JdbcClient jdbc) {
		return new JobRecovery(queue, catalog, new ChunkStore(jdbc, catalog));
	}
}
