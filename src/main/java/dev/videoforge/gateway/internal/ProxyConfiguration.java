package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Roles;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway role as a reverse proxy: for each service whose role runs elsewhere, its routes go
 * to the configured instances through Spring Cloud Gateway (bodies stream both ways, hop-by-hop
 * headers dropped), balanced over the instances whose health check passes. The service gets the
 * client's address in {@code X-Forwarded-For}: Spring Cloud Gateway strips the client's own
 * X-Forwarded-* headers, and {@link #forwardedFor()} sets the one address the edge resolved.
 * A service whose role runs in this process is routed in-process, as in {@code all}.
 */
@Configuration(proxyBeanMethods = false)
@OnRole("gateway")
class ProxyConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);
	private static final Set<HttpMethod> RETRYABLE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	@Bean
	Pools servicePools(GatewaySettings settings, Environment environment) {
		Roles roles = Roles.of(environment);
		List<ServicePool> pools = new ArrayList<>();
		if (!roles.has("gallery")) {
			pools.add(pool("gallery", settings.services().gallery(), settings));
		}
		if (!roles.has("streaming")) {
			pools.add(pool("streaming", settings.services().streaming(), settings));
		}
		return new Pools(pools, settings);
	}

	private static ServicePool pool(String name, List<URI> urls, GatewaySettings settings) {
		if (urls.isEmpty()) {
			throw new IllegalStateException("the gateway role routes /api/" + name + " requests, but this process does not run "
					+ "the " + name + " role and videoforge.gateway.services." + name + " (VIDEOFORGE_GATEWAY_SERVICES_"
					+ name.toUpperCase() + ") names no instance: set it to the " + name + " service's URL(s), comma-separated");
		}
		log.info("gateway proxies {} to {}", name, urls);
		return new ServicePool(name, urls, settings.healthPath(), settings.connectTimeout());
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
	RouterFunction<ServerResponse> proxyRoutes(Pools pools) {
		RouterFunction<ServerResponse> routes = null;
		for (ServicePool pool : pools.pools) {
			RequestPredicate paths = switch (pool.name) {
				case "gallery" -> RequestPredicates.path("/api/gallery/**").or(RequestPredicates.path("/api/admin/**"));
				case "streaming" -> RequestPredicates.path("/api/stream/**");
				default -> throw new IllegalArgumentException(pool.name);
			};
			RouterFunction<ServerResponse> route = GatewayRouterFunctions.route(pool.name)
					.route(paths, HandlerFunctions.http()).filter(balanced(pool)).build();
			routes = routes == null ? route : routes.and(route);
		}
		// A router function bean must route something; with nothing remote this never matches.
		return routes != null ? routes : RouterFunctions.route(request -> false, request -> ServerResponse.notFound().build());
	}

	/**
	 * Picks a healthy instance; when it cannot be reached, marks it down and (for requests without a
	 * body) tries the next one. Refusals are 503 with API.md's error JSON, never a bare 502.
	 */
	private static HandlerFilterFunction<ServerResponse, ServerResponse> balanced(ServicePool pool) {
		return (request, next) -> {
			List<URI> tried = new ArrayList<>();
			while (true) {
				Optional<URI> target = pool.choose(tried);
				if (target.isEmpty()) {
					return unavailable(tried.isEmpty() ? "no " + pool.name + " instance is healthy; try again shortly"
							: "no " + pool.name + " instance could be reached; try again shortly");
				}
				tried.add(target.get());
				MvcUtils.setRequestUrl(request, target.get());
				try {
					return next.handle(request);
				}
				catch (ResourceAccessException e) {
					Throwable cause = e.getCause();
					boolean unreachable = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
					if (unreachable) {
						pool.markDown(target.get(), String.valueOf(cause));
						if (RETRYABLE.contains(request.method())) {
							continue;
						}
						return unavailable("the " + pool.name + " instance could not be reached; try again");
					}
					if (cause instanceof HttpTimeoutException) {
						return unavailable("the " + pool.name + " service did not answer in time; try again");
					}
					throw e;
				}
			}
		};
	}

	private static ServerResponse unavailable(String message) {
		return ServerResponse.status(503).header("Retry-After", "2").contentType(MediaType.APPLICATION_JSON)
				.body(new ErrorBody("service_unavailable", message));
	}

	/** The pools and their health checker, which runs every health interval until shutdown. */
	static final class Pools implements DisposableBean {

		final List<ServicePool> pools;
		private final ScheduledExecutorService checker;

		Pools(List<ServicePool> pools, GatewaySettings settings) {
			this.pools = pools;
			this.checker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gateway-health").factory());
			long interval = settings.healthInterval().toMillis();
			if (!pools.isEmpty()) {
				checker.scheduleWithFixedDelay(() -> pools.forEach(ServicePool::checkAll), 0, interval, TimeUnit.MILLISECONDS);
			}
		}

		@Override
		public void destroy() {
			checker.shutdownNow();
		}
	}
}
