package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import dev.videoforge.gateway.RateLimitSettings;
import dev.videoforge.gateway.RateLimiter;
import dev.videoforge.shared.Roles;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ RateLimitSettings.class, GatewaySettings.class })
class GatewayConfiguration {

	/** First of all: every log line of a request, refusals included, carries its id. */
	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Right after it: from here on the request's remote address is the client's, as the trusted
	 * proxies in front report it (in every role: behind the gateway, services see the client too).
	 */
	@Bean
	FilterRegistrationBean<ClientAddressFilter> clientAddressFilter(GatewaySettings settings, RateLimitSettings limits) {
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter(settings.trustedProxies(), limits.trustForwardedFor()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/**
	 * Before everything else, Spring Security included: a refused request costs nothing more. At
	 * the edge only: behind the gateway every client would share the gateway's buckets.
	 */
	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter, Environment environment) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(limiter));
		registration.setEnabled(Roles.of(environment).has("gateway"));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

	/**
	 * CORS at the edge only (Spring Security picks this bean up by name): the gateway answers
	 * preflights and adds the headers; services behind it add none, so no header is doubled.
	 */
	@Bean
	CorsConfigurationSource corsConfigurationSource(GatewaySettings settings, Environment environment) {
		boolean edge = Roles.of(environment).has("gateway");
		List<String> origins = settings.cors().allowedOrigins();
		if (!edge || origins.isEmpty()) {
			return request -> null;
		}
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(origins);
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Tus-Resumable", "Upload-Length", "Upload-Offset",
				"Upload-Metadata", "Upload-Defer-Length", "Upload-Concat", "X-Request-Id", "X-HTTP-Method-Override", "Range"));
		cors.setExposedHeaders(List.of("Location", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size",
				"Upload-Offset", "Upload-Length", "Upload-Expires", "X-Request-Id", "Retry-After", "Content-Range", "Accept-Ranges"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(settings.cors().maxAge());
		return request -> request.getRequestURI().startsWith("/api/") ? cors : null;
	}
}
