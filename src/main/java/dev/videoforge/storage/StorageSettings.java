package dev.videoforge.storage;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Storage settings ({@code videoforge.storage.*}).
 *
 * @param type which adapter: {@code local} (default) or {@code s3}
 * @param localRoot folder of the local adapter; defaults to {@code <data-dir>/blobs}
 * @param s3 the S3 adapter's settings
 */
@ConfigurationProperties("videoforge.storage")
public record StorageSettings(@DefaultValue("local") String type, Path localRoot, @DefaultValue S3 s3) {

	/**
	 * S3 or an S3-compatible store. Credentials come from the AWS SDK's default chain.
	 *
	 * @param bucket the bucket (required)
	 * @param endpoint an S3-compatible endpoint (MinIO, Ceph); empty for AWS
	 * @param region the AWS region
	 * @param pathStyle address buckets as {@code endpoint/bucket} (most S3-compatible stores want it)
	 * @param prefix prepended to every key, to share a bucket
	 * @param publicEndpoint the endpoint as viewers' browsers reach it, when it differs from
	 *        {@code endpoint} (MinIO at {@code http://minio:9000} inside, a public name outside):
	 *        the presigned URLs of delivery by redirect name it
	 */
	public record S3(String bucket, URI endpoint, @DefaultValue("us-east-1") String region,
			@DefaultValue("false") boolean pathStyle, @DefaultValue("") String prefix, URI publicEndpoint) {
	}
}
