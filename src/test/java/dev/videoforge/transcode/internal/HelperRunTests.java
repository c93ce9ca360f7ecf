package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.MediaTools;
import dev.videoforge.media.Sandbox;
import dev.videoforge.storage.internal.LocalBlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The transcoder's helper runs (the poster from the first frame, the storyboard sprite) are capped
 * like every ffmpeg run: by time, and by what they add to the job's folder, which already holds
 * the renditions of the main run. A helper that writes on and on (a crafted file made it loop) is
 * stopped; one that writes its picture beside gigabytes of renditions is not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HelperRunTests {

	@TempDir
	Path work;
	private Transcoder transcoder;

	private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(new HashMap<>(values))).bindOrCreate(prefix, type);
	}

	@BeforeEach
	void wire() throws Exception {
		MediaSettings media = bind("videoforge.media", MediaSettings.class, Map.of("videoforge.media.sandbox", "auto"));
		Sandbox sandbox = new Sandbox(media);
		transcoder = new Transcoder(new LocalBlobStore(work.resolve("blobs")), new MediaProbe(media, sandbox), media,
				bind("videoforge.transcode", TranscodeSettings.class, Map.of()), sandbox, Duration.ofHours(1));
	}

	/** The main run's renditions, as large as a long 2160p video's: 3 GB (sparse, no disk used). */
	private void renditionsOf3Gb() throws Exception {
		Path renditions = Files.createDirectories(work.resolve("out/2160p"));
		try (RandomAccessFile file = new RandomAccessFile(renditions.resolve("0.m4s").toFile(), "rw")) {
			file.setLength(3L * 1024 * 1024 * 1024);
		}
	}

	@Test
	void aPictureBesideGigabytesOfRenditionsIsWritten() throws Exception {
		renditionsOf3Gb();
		Path picture = work.resolve("poster.jpg");
		MediaTools.Result result = transcoder.runHelper(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
				"testsrc2=size=3840x2160:rate=1:duration=1", "-frames:v", "1", "-y", picture.toString()), null, work);
		assertThat(result.succeeded()).as(result.reason()).isTrue();
		assertThat(Files.size(picture)).isPositive();
	}

	@Test
	void aHelperThatWritesOnAndOnIsStoppedAtItsCap() throws Exception {
		renditionsOf3Gb();
		// Raw 1080p frames, 3 MB each: far past the cap within seconds, were it not stopped.
		Path endless = work.resolve("sprite.raw");
		MediaTools.Result result = transcoder.runHelper(List.of("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
				"testsrc2=size=1920x1080:rate=25", "-f", "rawvideo", "-y", endless.toString()), null, work);
		assertThat(result.stop()).as(result.reason()).isEqualTo(MediaTools.Stop.FILES);
		assertThat(result.reason()).contains("output grew past");
		// Stopped near the cap (checked five times a second), not after filling the disk.
		assertThat(Files.size(endless)).isGreaterThan(Transcoder.HELPER_OUTPUT_BYTES)
				.isLessThan(Transcoder.HELPER_OUTPUT_BYTES + 512L * 1024 * 1024);
	}
}
