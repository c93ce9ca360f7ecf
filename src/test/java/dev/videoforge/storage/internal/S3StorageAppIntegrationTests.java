package dev.videoforge.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.RealParts;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The whole pipeline with its files in an S3-compatible store instead of on local disk. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.storage.type=s3",
				"videoforge.storage.s3.bucket=videoforge-app", "videoforge.storage.s3.path-style=true",
				"videoforge.storage.s3.prefix=site/" })
class S3StorageAppIntegrationTests {

	static final S3Proxy SERVER;

	static {
		try {
			SERVER = RealParts.s3Proxy();
			try (S3Client s3 = client()) {
				s3.createBucket(r -> r.bucket("videoforge-app"));
			}
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	static S3Client client() {
		return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + SERVER.getPort())).region(Region.US_EAST_1)
				.forcePathStyle(true)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-key")))
				.build();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		var data = Files.createTempDirectory("videoforge-s3-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("videoforge.storage.s3.endpoint", () -> "http://127.0.0.1:" + SERVER.getPort());
		// The AWS SDK's default credential chain reads these system properties.
		System.setProperty("aws.accessKeyId", "access");
		System.setProperty("aws.secretAccessKey", "secret-key");
	}

	@AfterAll
	static void stop() throws Exception {
		SERVER.stop();
	}

	@Value("${local.server.port}")
	int port;

	@Test
	void uploadsTranscodesStreamsAndDeletesWithFilesInS3() throws Exception {
		ApiClient alice = new ApiClient("http://127.0.0.1:" + port).signUp("alice", "correct horse battery");
		var upload = alice.tusUpload(Media.real("pixel7_h264_1080p_rot180_videoonly.mp4"), "In the bucket", "PUBLIC", 1 << 20);
		assertThat(upload.lastResponse().statusCode()).isEqualTo(204);
		var video = alice.awaitFinal(upload.videoId(), Duration.ofMinutes(3));
		assertThat(video.path("status").asString()).isEqualTo("READY");

		try (S3Client s3 = client()) {
			var keys = s3.listObjectsV2(r -> r.bucket("videoforge-app").prefix("site/")).contents().stream()
					.map(o -> o.key()).toList();
			assertThat(keys).contains("site/originals/" + upload.videoId(), "site/renditions/" + upload.videoId() + "/master.m3u8");

			var part = alice.getBytes("/api/stream/" + upload.videoId() + "/720p/init_1.mp4", "Range", "bytes=0-7");
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(new String(part.body(), 4, 4)).isEqualTo("ftyp");
			// Decoded to its last frame, against the source.
			Renditions.assertRendition(alice.base() + "/api/stream/" + upload.videoId() + "/480p/index.m3u8",
					Renditions.decode(Media.real("pixel7_h264_1080p_rot180_videoonly.mp4").toString()), true);

			assertThat(alice.send("DELETE", "/api/gallery/videos/" + upload.videoId(), null).statusCode()).isEqualTo(204);
			var left = s3.listObjectsV2(r -> r.bucket("videoforge-app").prefix("site/")).contents().stream()
					.map(o -> o.key()).filter(k -> k.contains(upload.videoId())).toList();
			assertThat(left).as("nothing of the video is left in the bucket").isEmpty();
		}
	}
}
