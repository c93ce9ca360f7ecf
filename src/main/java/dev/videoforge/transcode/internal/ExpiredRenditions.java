package dev.videoforge.transcode.internal;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every few minutes, removes the renditions a video played on while it was made once their time
 * after READY is up ({@link ChunkedTranscode#removeExpired}). Every processor runs it; two at once
 * remove the same files, which is harmless.
 */
public class ExpiredRenditions {

	private static final Logger log = LoggerFactory.getLogger(ExpiredRenditions.class);

	private final ChunkedTranscode chunks;

	ExpiredRenditions(ChunkedTranscode chunks) {
		this.chunks = chunks;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT5M")
	public void removeExpired() {
		try {
			chunks.removeExpired(Instant.now());
		}
		catch (RuntimeException e) {
			log.warn("could not look for expired renditions: {}", e.getMessage());
		}
	}
}
