package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import dev.videoforge.limits.RateLimitSettings;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.Role;
import dev.videoforge.shared.Roles;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewaySettings.class)
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
		registration.setEnabled(Roles.of(environment).has(Role.GATEWAY));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
		registration.addUrlPatterns("/api/*");
		return registration;
	}

	/**
	 * CORS at the edge only, before the rate limits, so a refusal is readable by the page that
	 * asked: the gateway answers preflights and adds the headers; services behind it add none, so no
	 * header is doubled. A preflight from an origin not allowed is 403 with the error JSON.
	 */
	@Bean
	FilterRegistrationBean<CorsFilter> corsFilter(GatewaySettings settings, Environment environment) {
		List<String> origins = settings.cors().allowedOrigins();
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(origins);
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Tus-Resumable", "Upload-Length", "Upload-Offset",
				"Upload-Metadata", "Upload-Defer-Length", "Upload-Concat", "X-Request-Id", "X-HTTP-Method-Override", "Range"));
		cors.setExposedHeaders(List.of("Location", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size",
				"Upload-Offset", "Upload-Length", "Upload-Expires", "X-Request-Id", "Retry-After", "Content-Range", "Accept-Ranges"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(settings.cors().maxAge());
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", cors);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new DefaultCorsProcessor() {
			@Override
			protected void rejectRequest(ServerHttpResponse response) throws IOException {
				HttpServletResponse servlet = ((ServletServerHttpResponse) response).getServletResponse();
				ErrorBody.write(servlet, HttpServletResponse.SC_FORBIDDEN, "cors_refused",
						"this origin may not call the API (videoforge.gateway.cors.allowed-origins)");
			}
		});
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(Roles.of(environment).has(Role.GATEWAY) && !origins.isEmpty());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
		registration.addUrlPatterns("/api/*");
		return registration;
	}
}
