package dev.videoforge.storage.internal;

import dev.videoforge.storage.BlobStore;
import dev.videoforge.storage.StorageSettings;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the {@link BlobStore} adapter from {@code videoforge.storage.type}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageSettings.class)
class StorageConfiguration {

	@Bean
	BlobStore blobStore(StorageSettings settings, @Value("${videoforge.data-dir}") Path dataDir) throws IOException {
		String type = settings.type() == null ? "local" : settings.type();
		if (!type.equals("local")) {
			throw new IllegalStateException("videoforge.storage.type: unknown storage type '" + type + "'; supported: local");
		}
		Path root = settings.localRoot() != null ? settings.localRoot() : dataDir.resolve("blobs");
		return new LocalBlobStore(root);
	}
}
