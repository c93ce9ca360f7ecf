package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.Secrets;
import dev.videoforge.streaming.SigningSettings;
import dev.videoforge.streaming.StreamingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StreamingSettings.class, SigningSettings.class })
class StreamingConfiguration {

	@Bean
	UrlSigner urlSigner(SigningSettings settings, @Value("${videoforge.data-dir}") Path dataDir, VideoCatalog catalog) throws IOException {
		Map<String, byte[]> keys = new LinkedHashMap<>();
		if (settings.keys() != null && !settings.keys().isEmpty()) {
			settings.keys().forEach((id, secret) -> {
				if (secret.length() < 32) {
					throw new IllegalStateException("videoforge.streaming.signing.keys." + id + " must be at least 32 characters");
				}
				keys.put(id, secret.getBytes(StandardCharsets.UTF_8));
			});
		}
		else {
			keys.put("k1", Secrets.loadOrCreate(dataDir.resolve("secrets").resolve("url-signing.key"), 32));
		}
		String active = settings.activeKeyId() != null ? settings.activeKeyId()
				: keys.size() == 1 ? keys.keySet().iterator().next() : "k1";
		CloudFrontSigner cloudFront = null;
		if (settings.cloudfrontKeyPairId() != null) {
			if (settings.cloudfrontPrivateKey() == null || settings.cdnBaseUrl() == null) {
				throw new IllegalStateException("videoforge.streaming.signing.cloudfront-key-pair-id needs "
						+ "videoforge.streaming.signing.cloudfront-private-key and videoforge.streaming.signing.cdn-base-url");
			}
			cloudFront = new CloudFrontSigner(settings.cloudfrontKeyPairId(), settings.cloudfrontPrivateKey());
		}
		return new UrlSigner(keys, active, settings, Clock.systemUTC(), cloudFront, catalog::signingGeneration);
	}
}
