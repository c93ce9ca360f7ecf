package dev.videoforge.web.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The picture size of a video's poster, which oEmbed must give with its {@code thumbnail_url}.
 * Read from the stored picture's header (the poster may be the transcoder's or one its owner
 * uploaded), not assumed from the renditions; remembered per poster file (a new poster has a new name), so an oEmbed
 * request reads storage once per poster.
 */
class ThumbnailSizes {

	record Size(int width, int height) {
	}

	/** Enough for any header (a JPEG's EXIF and ICC blocks come before its size); the rest is never read. */
	private static final long HEADER_BYTES = 256 * 1024;

	private final BlobStore blobs;
	private final Cache<String, Optional<Size>> sizes = Caffeine.newBuilder().maximumSize(10_000).build();

	ThumbnailSizes(BlobStore blobs) {
		this.blobs = blobs;
	}

	/** The poster's size, or empty when there is none or it cannot be read. */
	Optional<Size> of(Video video) {
		if (!video.hasThumbnail()) {
			return Optional.empty();
		}
		String key = video.id() + "/" + video.posterFile();
		Optional<Size> size = sizes.getIfPresent(key);
		if (size == null) {
			size = read(video);
			if (size.isPresent()) {
				// Only what was read is kept: a storage hiccup is asked again next time.
				sizes.put(key, size);
			}
		}
		return size;
	}

	private Optional<Size> read(Video video) {
		String key = VideoFiles.renditions(video.id()) + video.posterFile();
		try {
			var info = blobs.stat(key);
			if (info.isEmpty()) {
				return Optional.empty();
			}
			try (InputStream in = blobs.open(key, 0, Math.min(info.get().size(), HEADER_BYTES));
					ImageInputStream image = new MemoryCacheImageInputStream(in)) {
				Iterator<ImageReader> readers = ImageIO.getImageReaders(image);
				if (!readers.hasNext()) {
					return Optional.empty();
				}
				ImageReader reader = readers.next();
				try {
					reader.setInput(image, true, true);
					return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
				}
				finally {
					reader.dispose();
				}
			}
		}
		catch (IOException | RuntimeException e) {
			// Without its size a thumbnail may not be named (oEmbed 1.0, 2.3.4); the answer goes out without one.
			return Optional.empty();
		}
	}
}
