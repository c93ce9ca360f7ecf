package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.MediaTools;
import dev.videoforge.media.Sandbox;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.shared.OnRole;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TranscodeSettings.class)
class TranscodeConfiguration {

	@Bean
	Transcoder transcoder(BlobStore blobs, MediaProbe probe, MediaSettings media, TranscodeSettings settings,
			Sandbox sandbox, @Value("${videoforge.upload.max-duration:6h}") java.time.Duration maxDuration, Captions captions,
			MediaTools tools) {
		// The duration limit is the upload's setting; the transcoder never reads past it either.
		return new Transcoder(blobs, probe, media, settings, sandbox, maxDuration,
				new EmbeddedCaptions(captions, tools, settings));
	}

	/** The processor role's entry point. */
	@Bean
	@OnRole("processor")
	TranscodeWorker transcodeWorker(JobQueue queue, QueueSettings queueSettings, TranscodeSettings settings,
			VideoCatalog catalog, BlobStore blobs, Transcoder transcoder, @Value("${videoforge.data-dir}") Path dataDir,
			MeterRegistry meters) {
		Path workDir = settings.workDir() != null ? settings.workDir() : dataDir.resolve("work");
		TranscodeWorker worker = new TranscodeWorker(queue, queueSettings, settings, catalog, blobs, transcoder, workDir);
		QueueMetrics.register(meters, worker);
		return worker;
	}

	/** Videos left in a state no job will move are set moving when a processor starts. */
	@Bean
	@OnRole("processor")
	JobRecovery jobRecovery(JobQueue queue, VideoCatalog catalog) {
		return new JobRecovery(queue, catalog);
	}
}
