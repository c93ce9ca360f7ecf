package dev.videoforge.storage.internal;

import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.storage.DirectUploads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link BlobStore} on S3 or any S3-compatible store (MinIO, Ceph, S3Proxy) with the AWS SDK v2.
 * Large files go up as multipart uploads; reads are ranged GETs, so a segment request never
 * pulls more than it sends. An object appears whole or not at all, as S3 guarantees.
 */
public class S3BlobStore implements BlobStore {

	/** Where direct uploads are staged: only deletions under it look for unfinished multipart uploads. */
	private static final String UPLOADS = "uploads/";

	/** Files above this go up in parts of this size (S3's minimum part is 5 MiB). */
	static final long PART_SIZE = 16L * 1024 * 1024;

	private final S3Client s3;
	private final String bucket;
	private final String prefix;
	/** Signs GET URLs for delivery by redirect; null when not wanted. */
	private final S3Presigner presigner;

	public S3BlobStore(S3Client s3, String bucket, String prefix) {
		this(s3, bucket, prefix, null);
	}

	public S3BlobStore(S3Client s3, String bucket, String prefix, S3Presigner presigner) {
		this.s3 = s3;
		this.bucket = bucket;
		this.prefix = prefix == null ? "" : prefix;
		this.presigner = presigner;
	}

	@Override
	public Optional<java.net.URI> presignedGet(String key, java.time.Duration ttl, String contentType,
			String contentDisposition) {
		if (presigner == null) {
			return Optional.empty();
		}
		String objectKey = objectKey(key);
		var presigned = presigner.presignGetObject(r -> r.signatureDuration(ttl).getObjectRequest(get -> {
			get.bucket(bucket).key(objectKey).responseContentType(contentType);
			if (contentDisposition != null) {
				get.responseContentDisposition(contentDisposition);
			}
		}));
		try {
			return Optional.of(presigned.url().toURI());
		}
		catch (java.net.URISyntaxException e) {
			throw new IllegalStateException("the presigned URL of " + key + " is not a URI", e);
		}
	}

	private String objectKey(String key) {
		if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("..")) {
			throw new IllegalArgumentException("invalid key: " + key);
		}
		return prefix + key;
	}

	@Override
	public void put(String key, Path file) throws IOException {
		String objectKey = objectKey(key);
		long size = Files.size(file);
		try {
			if (size <= PART_SIZE) {
				s3.putObject(r -> r.bucket(bucket).key(objectKey), RequestBody.fromFile(file));
				return;
			}
			multipart(objectKey, file, size);
		}
		catch (S3Exception e) {
			throw new IOException("could not store " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
		}
	}

	private void multipart(String objectKey, Path file, long size) throws IOException {
		String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(objectKey)).uploadId();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			List<CompletedPart> parts = new ArrayList<>();
			int number = 1;
			for (long offset = 0; offset < size; offset += PART_SIZE, number++) {
				int length = (int) Math.min(PART_SIZE, size - offset);
				ByteBuffer buffer = ByteBuffer.allocate(length);
				channel.read(buffer, offset);
				buffer.flip();
				int partNumber = number;
				String etag = s3.uploadPart(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(partNumber),
						RequestBody.fromByteBuffer(buffer)).eTag();
				parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
			}
			s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId)
					.multipartUpload(m -> m.parts(parts)));
		}
		catch (IOException | RuntimeException e) {
			s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
			throw e;
		}
	}

	@Override
	public Optional<BlobInfo> stat(String key) throws IOException {
		String objectKey = objectKey(key);
		try {
			var head = s3.headObject(r -> r.bucket(bucket).key(objectKey));
			return Optional.of(new BlobInfo(key, head.contentLength(), head.lastModified(), head.eTag().replace("\"", "")));
		}
		catch (NoSuchKeyException e) {
			return Optional.empty();
		}
		catch (S3Exception e) {
			if (e.statusCode() == 404) {
				return Optional.empty();
			}
			throw new IOException("could not read " + key + ": " + e.getMessage(), e);
		}
	}

	@Override
	public InputStream open(String key, long offset, long length) throws IOException {
		if (length <= 0) {
			if (stat(key).isEmpty()) {
				throw new BlobNotFoundException(key);
			}
			return InputStream.nullInputStream();
		}
		String objectKey = objectKey(key);
		try {
			return s3.getObject(r -> r.bucket(bucket).key(objectKey).range("bytes=" + offset + "-" + (offset + length - 1)));
		}
		catch (NoSuchKeyException e) {
			throw new BlobNotFoundException(key);
		}
		catch (S3Exception e) {
			throw new IOException("could not read " + key + ": " + e.getMessage(), e);
		}
	}

	@Override
	public void download(String key, Path target) throws IOException {
		String objectKey = objectKey(key);
		Path temp = target.resolveSibling(target.getFileName() + ".download");
		Files.deleteIfExists(temp);
		try {
			s3.getObject(r -> r.bucket(bucket).key(objectKey), temp);
			Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (NoSuchKeyException e) {
			throw new BlobNotFoundException(key);
		}
		catch (S3Exception e) {
			throw new IOException("could not read " + key + ": " + e.getMessage(), e);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public List<String> list(String keyPrefix) throws IOException {
		try {
			List<String> keys = new ArrayList<>();
			for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
				keys.add(object.key().substring(prefix.length()));
			}
			keys.sort(null);
			return keys;
		}
		catch (S3Exception e) {
			throw new IOException("could not list " + keyPrefix + ": " + e.getMessage(), e);
		}
	}

	@Override
	public void delete(String key) throws IOException {
		String objectKey = objectKey(key);
		try {
			s3.deleteObject(r -> r.bucket(bucket).key(objectKey));
		}
		catch (S3Exception e) {
			throw new IOException("could not delete " + key + ": " + e.getMessage(), e);
		}
	}

	@Override
	public int deletePrefix(String keyPrefix) throws IOException {
		if (keyPrefix.startsWith(UPLOADS)) {
			abortUploadsUnder(keyPrefix);
		}
		List<String> keys = list(keyPrefix);
		try {
			for (int from = 0; from < keys.size(); from += 1000) {
				List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
						.map(k -> ObjectIdentifier.builder().key(prefix + k).build()).toList();
				s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
			}
		}
		catch (S3Exception e) {
			throw new IOException("could not delete under " + keyPrefix + ": " + e.getMessage(), e);
		}
		return keys.size();
	}

	/** Abandons the unfinished multipart uploads to keys under the prefix (their parts cost storage until then). */
	private void abortUploadsUnder(String keyPrefix) throws IOException {
		try {
			for (var upload : s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(objectKey(keyPrefix))).uploads()) {
				abort(upload.key().substring(prefix.length()), upload.uploadId());
			}
		}
		catch (S3Exception e) {
			// A store without the listing (501), or credentials without s3:ListBucketMultipartUploads:
			// the bucket's lifecycle rule ends them (docs/DEPLOY.md); deleting the objects goes on.
			org.slf4j.LoggerFactory.getLogger(S3BlobStore.class).warn(
					"could not list the unfinished uploads under {} to abort them ({}); the bucket's lifecycle rule will",
					keyPrefix, e.getMessage());
		}
	}

	@Override
	public Optional<DirectUploads> directUploads() {
		return presigner == null ? Optional.empty() : Optional.of(new Direct());
	}

	/** S3's multipart upload with presigned part URLs. */
	private final class Direct implements DirectUploads {

		@Override
		public String begin(String key) throws IOException {
			String objectKey = objectKey(key);
			try {
				return s3.createMultipartUpload(r -> r.bucket(bucket).key(objectKey)).uploadId();
			}
			catch (software.amazon.awssdk.core.exception.SdkException e) {
				throw new IOException("could not open an upload to " + key + ": " + e.getMessage(), e);
			}
		}

		@Override
		public java.net.URI signPart(String key, String uploadId, int number, long size, java.time.Duration ttl) {
			String objectKey = objectKey(key);
			// The length is a signed header: the store refuses a body of any other size.
			var presigned = presigner.presignUploadPart(r -> r.signatureDuration(ttl)
					.uploadPartRequest(u -> u.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(number).contentLength(size)));
			try {
				return presigned.url().toURI();
			}
			catch (java.net.URISyntaxException e) {
				throw new IllegalStateException("the presigned URL of a part of " + key + " is not a URI", e);
			}
		}

		@Override
		public List<Part> parts(String key, String uploadId) throws IOException {
			String objectKey = objectKey(key);
			try {
				List<Part> parts = new ArrayList<>();
				for (var part : s3.listPartsPaginator(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId)).parts()) {
					parts.add(new Part(part.partNumber(), part.size(), part.eTag()));
				}
				parts.sort(java.util.Comparator.comparingInt(Part::number));
				return parts;
			}
			catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
				throw new BlobNotFoundException(key + " (upload " + uploadId + ")");
			}
			catch (S3Exception e) {
				if (e.statusCode() == 404) {
					throw new BlobNotFoundException(key + " (upload " + uploadId + ")");
				}
				throw new IOException("could not list the parts of " + key + ": " + e.getMessage(), e);
			}
			catch (software.amazon.awssdk.core.exception.SdkException e) {
				throw new IOException("could not list the parts of " + key + ": " + e.getMessage(), e);
			}
		}

		@Override
		public void complete(String key, String uploadId, List<Part> parts) throws IOException {
			String objectKey = objectKey(key);
			List<CompletedPart> completed = parts.stream()
					.map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
			try {
				s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId)
						.multipartUpload(m -> m.parts(completed)));
			}
			catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
				throw new BlobNotFoundException(key + " (upload " + uploadId + ")");
			}
			catch (software.amazon.awssdk.core.exception.SdkException e) {
				throw new IOException("could not complete the upload to " + key + ": " + e.getMessage(), e);
			}
		}

		@Override
		public void abort(String key, String uploadId) throws IOException {
			S3BlobStore.this.abort(key, uploadId);
		}
	}

	private void abort(String key, String uploadId) throws IOException {
		String objectKey = objectKey(key);
		try {
			s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
		}
		catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException e) {
			// gone already
		}
		catch (S3Exception e) {
			if (e.statusCode() != 404) {
				throw new IOException("could not abandon the upload to " + key + ": " + e.getMessage(), e);
			}
		}
		catch (software.amazon.awssdk.core.exception.SdkException e) {
			throw new IOException("could not abandon the upload to " + key + ": " + e.getMessage(), e);
		}
	}

	/** Fails fast, naming the setting, when the bucket cannot be reached. */
	void checkBucket() {
		try {
			s3.headBucket(r -> r.bucket(bucket));
		}
		catch (S3Exception e) {
			throw new IllegalStateException("videoforge.storage.s3.bucket: bucket '" + bucket + "' is not reachable ("
					+ e.statusCode() + " " + e.getMessage() + ")", e);
		}
		catch (RuntimeException e) {
			throw new UncheckedIOException(new IOException("videoforge.storage.s3: cannot reach S3: " + e.getMessage(), e));
		}
	}
}
