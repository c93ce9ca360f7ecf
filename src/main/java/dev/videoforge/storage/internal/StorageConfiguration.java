package dev.videoforge.storage.internal;

import dev.videoforge.storage.BlobStore;
import dev.videoforge.storage.StorageSettings;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Picks the {@link BlobStore} adapter from {@code videoforge.storage.type}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageSettings.class)
class StorageConfiguration {

	@Bean
	BlobStore blobStore(StorageSettings settings, @Value("${videoforge.data-dir}") Path dataDir) throws IOException {
		return switch (settings.type()) {
			case "local" -> new LocalBlobStore(settings.localRoot() != null ? settings.localRoot() : dataDir.resolve("blobs"));
			case "s3" -> s3(settings.s3());
			default -> throw new IllegalStateException(
					"videoforge.storage.type: unknown storage type '" + settings.type() + "'; use local or s3");
		};
	}

	private static BlobStore s3(StorageSettings.S3 s3) {
		if (s3.bucket() == null || s3.bucket().isBlank()) {
			throw new IllegalStateException("videoforge.storage.s3.bucket is required when videoforge.storage.type=s3");
		}
		var builder = S3Client.builder().region(Region.of(s3.region())).forcePathStyle(s3.pathStyle())
				.httpClient(UrlConnectionHttpClient.create());
		if (s3.endpoint() != null) {
			builder.endpointOverride(s3.endpoint());
		}
		// The presigner signs GET URLs for delivery by redirect (videoforge.streaming.delivery):
		// the same region and addressing as the client, and the endpoint browsers reach.
		var presigner = S3Presigner.builder().region(Region.of(s3.region()))
				.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build());
		if (s3.publicEndpoint() != null) {
			presigner.endpointOverride(s3.publicEndpoint());
		}
		else if (s3.endpoint() != null) {
			presigner.endpointOverride(s3.endpoint());
		}
		S3BlobStore store = new S3BlobStore(builder.build(), s3.bucket(), s3.prefix(), presigner.build());
		store.checkBucket();
		return store;
	}
}
