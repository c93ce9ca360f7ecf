package dev.videoforge.streaming.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The playlists and cue files of videos, as the streaming role answers them: read from the store
 * once and kept a while for READY videos, whose files no longer change (the key carries the
 * video's last change, so a video transcoded again is read afresh). Caption tracks change after
 * READY (an owner replaces one) and are read each time. On S3 a playlist request then
 * costs no round trips to the bucket (it cost a HEAD and a GET: 1,500 playlists a second against
 * S3Proxy, see docs/BENCHMARKS.md). Files of a video still PROCESSING grow with each segment and
 * are read each time. Visibility and signatures are checked before, on every request.
 */
@Component
class TextFiles {

	/** A text file: its content and the store's validators. */
	record Text(String body, String etag, Instant lastModified) {
	}

	private static final Duration KEEP = Duration.ofSeconds(60);
	private static final long MAX_BYTES = 32L * 1024 * 1024;

	private final BlobStore blobs;
	private final Cache<String, Text> cache = Caffeine.newBuilder().expireAfterWrite(KEEP).maximumWeight(MAX_BYTES)
			.<String, Text>weigher((key, text) -> key.length() + text.body().length()).build();

	TextFiles(BlobStore blobs) {
		this.blobs = blobs;
	}

	/**
	 * The file {@code key} of {@code video}, or empty when there is none; {@code changes} for a file
	 * that may change while the video stays READY (a caption track).
	 */
	Optional<Text> get(Video video, String key, boolean changes) throws IOException {
		if (video.status() != VideoStatus.READY || changes) {
			return read(key);
		}
		String cacheKey = key + "@" + video.updatedAt();
		Text kept = cache.getIfPresent(cacheKey);
		if (kept != null) {
			return Optional.of(kept);
		}
		Optional<Text> text = read(key);
		text.ifPresent(t -> cache.put(cacheKey, t));
		return text;
	}

	private Optional<Text> read(String key) throws IOException {
		var info = blobs.stat(key);
		if (info.isEmpty()) {
			return Optional.empty();
		}
		try (InputStream in = blobs.open(key, 0, info.get().size())) {
			return Optional.of(new Text(new String(in.readAllBytes(), StandardCharsets.UTF_8), info.get().etag(),
					info.get().lastModified()));
		}
		catch (dev.videoforge.storage.BlobNotFoundException e) {
			return Optional.empty(); // removed between the two
		}
	}
}
