package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.shared.Role;
import dev.videoforge.shared.Roles;
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
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StreamingSettings.class, SigningSettings.class })
class StreamingConfiguration {

	@Bean
	AnswerCache answerCache(StreamingSettings settings) {
		return new AnswerCache(settings.answerCache());
	}

	/**
	 * In front of Spring Security, after the gateway's filters (request id, client address, CORS,
	 * rate limits), which every request still passes: only the request path is saved.
	 */
	@Bean
	FilterRegistrationBean<AnswerCache> answerCacheFilter(AnswerCache cache, StreamingSettings settings,
			Environment environment) {
		FilterRegistrationBean<AnswerCache> registration = new FilterRegistrationBean<>(cache);
		registration.setEnabled(Roles.of(environment).has(Role.STREAMING) && settings.answerCache().isPositive());
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		registration.addUrlPatterns("/api/stream/*");
		return registration;
	}

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
