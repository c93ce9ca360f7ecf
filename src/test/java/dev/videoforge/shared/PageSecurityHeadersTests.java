package dev.videoforge.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the pages may fetch media from, for each way media is delivered. */
class PageSecurityHeadersTests {

	@Test
	void deliveryByRedirectLetsThePlayerFollowToTheStoreAndNothingElseDoes() {
		assertThat(PageSecurityHeaders.redirectOrigins("proxy", "s3", "", "http://minio:9000")).isEmpty();
		assertThat(PageSecurityHeaders.redirectOrigins("redirect", "local", "", "")).as("a local store is proxied").isEmpty();
		assertThat(PageSecurityHeaders.redirectOrigins("redirect", "s3", "", "http://127.0.0.1:9000"))
				.isEqualTo("http://127.0.0.1:9000 http://*.127.0.0.1:9000");
		assertThat(PageSecurityHeaders.redirectOrigins("redirect", "s3", "https://media.example.com", "http://minio:9000"))
				.as("the name browsers use").isEqualTo("https://media.example.com https://*.media.example.com");
		assertThat(PageSecurityHeaders.redirectOrigins("redirect", "s3", "", "")).isEqualTo("https://*.amazonaws.com");
		String policy = PageSecurityHeaders.policy("https://media.example.com");
		assertThat(policy).contains("media-src 'self' blob: data: https://media.example.com;")
				.contains("connect-src 'self' https://media.example.com;");
	}
}
