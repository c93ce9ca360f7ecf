package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.RateLimitSettings;
import dev.videoforge.gateway.RateLimiter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitSettings.class)
class GatewayConfiguration {

	/** Before everything else, Spring Security included: a refused request costs nothing more. */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(limiter));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		registration.addUrlPatterns("/api/*");
		return registration;
	}
}
