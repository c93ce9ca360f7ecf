package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import dev.videoforge.shared.Roles;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.LoadBalancerFilterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway role as a reverse proxy: for each service whose role runs elsewhere, its routes go
 * to the configured instances through Spring Cloud Gateway (bodies stream both ways, hop-by-hop
 * headers dropped), balanced round-robin by Spring Cloud LoadBalancer over the instances whose
 * readiness check passes ({@link ServiceInstances}). A request without a body that cannot reach its
 * instance is tried on another; every refusal is 503 with API.md's error JSON, never a bare 502.
 * The service gets the client's address in {@code X-Forwarded-For}: Spring Cloud Gateway strips
 * the client's own X-Forwarded-* headers, and {@link #forwardedFor()} sets the one address the
 * edge resolved. A service whose role runs in this process is routed in-process, as in {@code all}.
 */
@Configuration(proxyBeanMethods = false)
@OnRole(Role.GATEWAY)
@LoadBalancerClients(defaultConfiguration = ServiceInstances.class)
class ProxyConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);
	private static final Set<HttpMethod> RETRYABLE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	/** The services this gateway proxies (those whose role it does not run), each with its instance count. */
	record RemoteServices(Map<String, Integer> instances) {
	}

	@Bean
	RemoteServices remoteServices(GatewaySettings settings, Environment environment) {
		Roles roles = Roles.of(environment);
		Map<String, Integer> remote = new LinkedHashMap<>();
		if (!roles.has(Role.GALLERY)) {
			remote.put("gallery", check("gallery", settings.services().gallery()));
		}
		if (!roles.has(Role.STREAMING)) {
			remote.put("streaming", check("streaming", settings.services().streaming()));
		}
		return new RemoteServices(remote);
	}

	private static int check(String name, List<URI> urls) {
		if (urls.isEmpty()) {
			throw new IllegalStateException("the gateway role routes /api/" + name + " requests, but this process does not run "
					+ "the " + name + " role and videoforge.gateway.services." + name + " (VIDEOFORGE_GATEWAY_SERVICES_"
					+ name.toUpperCase() + ") names no instance: set it to the " + name + " service's URL(s), comma-separated");
		}
		log.info("gateway proxies {} to {}", name, urls);
		return urls.size();
	}

	@Bean
	InstanceHealth instanceHealth(GatewaySettings settings) {
		return new InstanceHealth(settings);
	}

	/** Starts each service's health checks now, so that the first request finds them done. */
	@Bean
	SmartInitializingSingleton startHealthChecks(RemoteServices services, LoadBalancerClientFactory balancers) {
		return () -> services.instances().keySet().forEach(balancers::getInstance);
	}

	/** The client the proxy uses: HTTP/1.1, the configured connect and response timeouts. */
	@Bean
	ClientHttpRequestFactory gatewayClientHttpRequestFactory(GatewaySettings settings) {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(settings.responseTimeout());
		return factory;
	}

	/**
	 * {@code X-Forwarded-For: <client>} and {@code X-Forwarded-Proto} on every proxied request,
	 * replacing whatever the client sent: the address is the one {@link ClientAddressFilter}
	 * resolved, so a service that trusts the gateway ({@code videoforge.gateway.trusted-proxies})
	 * sees the real client and cannot be told another address.
	 */
	@Bean
	HttpHeadersFilter.RequestHttpHeadersFilter forwardedFor() {
		return new ForwardedFor();
	}

	static final class ForwardedFor implements HttpHeadersFilter.RequestHttpHeadersFilter, Ordered {

		@Override
		public HttpHeaders apply(HttpHeaders input, ServerRequest request) {
			HttpHeaders headers = HttpHeaders.copyOf(input);
			headers.set("X-Forwarded-For", request.servletRequest().getRemoteAddr());
			headers.set("X-Forwarded-Proto", request.servletRequest().getScheme());
			return headers;
		}

		/** After Spring Cloud Gateway's own, which remove the client's X-Forwarded-* headers. */
		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}
	}

	@Bean
	RouterFunction<ServerResponse> proxyRoutes(RemoteServices services, InstanceHealth health) {
		RouterFunction<ServerResponse> routes = null;
		for (var service : services.instances().entrySet()) {
			String name = service.getKey();
			RequestPredicate paths = switch (name) {
				case "gallery" -> RequestPredicates.path("/api/gallery/**").or(RequestPredicates.path("/api/admin/**"));
				case "streaming" -> RequestPredicates.path("/api/stream/**");
				default -> throw new IllegalArgumentException(name);
			};
			// Filters run in the order added, each around the next.
			RouterFunction<ServerResponse> route = GatewayRouterFunctions.route(name).route(paths, HandlerFunctions.http())
					.filter(answeredAsJson(name)).filter(retriedElsewhere(service.getValue()))
					.filter(LoadBalancerFilterFunctions.lb(name)).filter(unreachableNoted(name, health)).build();
			routes = routes == null ? route : routes.and(route);
		}
		// A router function bean must route something; with nothing remote this never matches.
		return routes != null ? routes : RouterFunctions.route(request -> false, request -> ServerResponse.notFound().build());
	}

	/** The instance the balancer chose could not be connected to. */
	static final class Unreachable extends RuntimeException {

		Unreachable(Throwable cause) {
			super(cause);
		}
	}

	/** Innermost: a connection that failed marks the chosen instance unreachable. */
	private static HandlerFilterFunction<ServerResponse, ServerResponse> unreachableNoted(String name, InstanceHealth health) {
		return (request, next) -> {
			try {
				return next.handle(request);
			}
			catch (ResourceAccessException e) {
				Throwable cause = e.getCause();
				if (!(cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException)) {
					throw e;
				}
				URI url = (URI) request.attribute(MvcUtils.GATEWAY_REQUEST_URL_ATTR).orElseThrow();
				health.unreachable(name, url, String.valueOf(cause));
				if (request.attributes().get(ServiceInstances.TRIED) instanceof Set<?> tried) {
					@SuppressWarnings("unchecked")
					Set<String> keys = (Set<String>) tried;
					keys.add(InstanceHealth.key(url));
				}
				throw new Unreachable(cause);
			}
		};
	}

	/**
	 * A request without a body (GET, HEAD, OPTIONS) that cannot reach its instance goes to another
	 * one not tried yet (the balancer leaves tried ones out), up to one try per instance. A request
	 * with a body is not repeated: its body was being sent.
	 */
	private static HandlerFilterFunction<ServerResponse, ServerResponse> retriedElsewhere(int instances) {
		return (request, next) -> {
			if (!RETRYABLE.contains(request.method())) {
				return next.handle(request);
			}
			request.attributes().put(ServiceInstances.TRIED, ConcurrentHashMap.newKeySet());
			for (int attempt = 1;; attempt++) {
				try {
					return next.handle(request);
				}
				catch (Unreachable e) {
					if (attempt >= instances) {
						throw e;
					}
				}
			}
		};
	}

	/** Outermost: what the balancer and the proxy refuse becomes 503 with the error JSON. */
	private static HandlerFilterFunction<ServerResponse, ServerResponse> answeredAsJson(String name) {
		return (request, next) -> {
			try {
				return next.handle(request);
			}
			catch (HttpServerErrorException e) {
				if (e.getStatusCode().value() != 503) {
					throw e;
				}
				// No instance to choose (lb's "Unable to find instance"): none healthy, or none left untried.
				boolean tried = request.attributes().get(ServiceInstances.TRIED) instanceof Set<?> set && !set.isEmpty();
				return unavailable(tried ? "no " + name + " instance could be reached; try again shortly"
						: "no " + name + " instance is healthy; try again shortly");
			}
			catch (Unreachable e) {
				return unavailable(RETRYABLE.contains(request.method()) ? "no " + name + " instance could be reached; try again shortly"
						: "the " + name + " instance could not be reached; try again");
			}
			catch (ResourceAccessException e) {
				if (e.getCause() instanceof HttpTimeoutException) {
					return unavailable("the " + name + " service did not answer in time; try again");
				}
				throw e;
			}
		};
	}

	private static ServerResponse unavailable(String message) {
		return ServerResponse.status(503).header("Retry-After", "2").contentType(MediaType.APPLICATION_JSON)
				.body(new ErrorBody("service_unavailable", message));
	}
}
