package dev.videoforge.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Uploads whose bytes go from the client straight into the store, in parts, without passing
 * through this process: S3's multipart upload (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html)
 * with a presigned URL per part. Offered by {@link BlobStore#directUploads()} where the store has
 * it. Keys are the store's keys, as for every other method.
 */
public interface DirectUploads {

	/** S3's bounds: parts are numbered 1 to 10,000, and all but the last are at least 5 MiB. */
	int MAX_PARTS = 10_000;
	long MIN_PART_SIZE = 5L * 1024 * 1024;
	long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

	/** One part that arrived: its number, its size and the store's entity tag for it. */
	record Part(int number, long size, String etag) {
	}

	/** Opens a multipart upload to {@code key}; returns its upload id. */
	String begin(String key) throws IOException;

	/**
	 * A URL a client may PUT exactly {@code size} bytes to, as part {@code number}, for {@code ttl}:
	 * the length is signed, so the store refuses any other body.
	 */
	URI signPart(String key, String uploadId, int number, long size, Duration ttl);

	/** The parts that have arrived, by number. */
	List<Part> parts(String key, String uploadId) throws IOException;

	/**
	 * Puts the parts together into the object {@code key}.
	 *
	 * @throws IOException when the store refuses (a part missing, too small) or cannot be reached
	 */
	void complete(String key, String uploadId, List<Part> parts) throws IOException;

	/** Abandons the upload and frees its parts; no error when it is gone already. */
	void abort(String key, String uploadId) throws IOException;
}
