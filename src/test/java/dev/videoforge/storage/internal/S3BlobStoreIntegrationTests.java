package dev.videoforge.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.storage.BlobStore;
import dev.videoforge.support.RealParts;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The BlobStore contract on S3, against S3Proxy (an S3-compatible server from Maven Central) started here. */
class S3BlobStoreIntegrationTests extends BlobStoreContract {

	static S3Proxy server;
	static S3Client s3;

	@BeforeAll
	static void start() throws Exception {
		server = RealParts.s3Proxy();
		s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getPort()))
				.region(Region.US_EAST_1).forcePathStyle(true)
				.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
				.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-key")))
				.build();
		s3.createBucket(r -> r.bucket("videoforge-test"));
	}

	@AfterAll
	static void stop() throws Exception {
		s3.close();
		server.stop();
	}

	@Override
	BlobStore store() {
		return new S3BlobStore(s3, "videoforge-test", "t" + System.nanoTime() + "/");
	}

	@Test
	void largeFilesGoUpInPartsAndReadBackByRange() throws Exception {
		BlobStore store = store();
		byte[] bytes = new byte[(int) (S3BlobStore.PART_SIZE * 2 + 12345)];
		new Random(3).nextBytes(bytes);
		Path file = Files.write(temp.resolve("big"), bytes);
		store.put("originals/big", file);
		assertThat(store.stat("originals/big").orElseThrow().size()).isEqualTo(bytes.length);
		long offset = S3BlobStore.PART_SIZE - 10;
		try (InputStream in = store.open("originals/big", offset, 100)) {
			assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, (int) offset, (int) offset + 100));
		}
	}

	@Test
	void aMissingBucketIsNamedAtStart() {
		var store = new S3BlobStore(s3, "no-such-bucket", "");
		org.assertj.core.api.Assertions.assertThatThrownBy(store::checkBucket)
				.hasMessageContaining("videoforge.storage.s3.bucket").hasMessageContaining("no-such-bucket");
	}
}
