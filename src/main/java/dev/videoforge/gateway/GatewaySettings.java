package dev.videoforge.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The edge ({@code videoforge.gateway.*}). With the gateway role and the gallery or streaming role
 * in another process, requests for that service are proxied to {@code services.*}: several URLs
 * per service, balanced round-robin over those whose health check passes.
 *
 * @param services where the other roles listen; a service whose role runs in this process is routed in-process
 * @param connectTimeout how long to wait for a connection to a service instance
 * @param responseTimeout how long a service instance may stay silent while answering
 * @param healthInterval how often every instance's readiness is checked
 * @param healthPath the readiness endpoint on every instance
 * @param cors cross-origin access for browser apps served from elsewhere
 * @param trustedProxies addresses or CIDR ranges ({@code 10.0.0.0/8}) of the proxies in front of
 *     this process whose {@code X-Forwarded-For} is believed: the load balancer in front of the
 *     gateway, and on gallery and streaming instances the gateway itself. Empty: the peer's
 *     address is the client's (unless {@code videoforge.rate-limit.trust-forwarded-for})
 */
@ConfigurationProperties("videoforge.gateway")
public record GatewaySettings(@DefaultValue Services services, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("60s") Duration responseTimeout, @DefaultValue("5s") Duration healthInterval,
		@DefaultValue("/actuator/health/readiness") String healthPath, @DefaultValue Cors cors,
		@DefaultValue List<String> trustedProxies) {

	/** @param gallery gallery instances (also serve {@code /api/admin})
	 *  @param streaming streaming instances */
	public record Services(@DefaultValue List<URI> gallery, @DefaultValue List<URI> streaming) {
	}

	/** @param allowedOrigins origins allowed to call the API from a browser (none: same origin only)
	 *  @param maxAge how long a browser may cache a preflight answer */
	public record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {
	}
}
