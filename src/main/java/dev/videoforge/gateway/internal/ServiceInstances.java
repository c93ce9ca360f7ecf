package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Flux;

/**
 * The instances of one service (the load balancer's child context for it, named by
 * {@link LoadBalancerClientFactory#getName}): the configured URLs, kept to those whose readiness
 * check passes by Spring Cloud LoadBalancer's health-check supplier, less those a request could not
 * reach since ({@link InstanceHealth}) and, for a retried request, those it tried already.
 * Deliberately not a {@code @Configuration}: it is the configuration of each child context only
 * ({@code @LoadBalancerClients(defaultConfiguration = ...)}), never of the application's.
 */
class ServiceInstances {

	/** The request attribute holding the instances (host:port) a retried request tried already. */
	static final String TRIED = ServiceInstances.class.getName() + ".tried";

	@Bean
	ServiceInstanceListSupplier instanceList(Environment environment, GatewaySettings settings,
			LoadBalancerClientFactory factory, InstanceHealth health) {
		String service = LoadBalancerClientFactory.getName(environment);
		List<URI> urls = switch (service) {
			case "gallery" -> settings.services().gallery();
			case "streaming" -> settings.services().streaming();
			default -> throw new IllegalArgumentException("no service " + service);
		};
		List<ServiceInstance> instances = new ArrayList<>();
		for (URI url : urls) {
			boolean secure = "https".equalsIgnoreCase(url.getScheme());
			int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
			instances.add(new DefaultServiceInstance(service + "-" + url.getHost() + ":" + port, service, url.getHost(), port, secure));
		}
		ServiceInstanceListSupplier configured = new Configured(service, instances);
		// Every health interval, the whole list at once (not instance by instance as checks return).
		LoadBalancerProperties properties = new LoadBalancerProperties();
		properties.getHealthCheck().setInterval(settings.healthInterval());
		properties.getHealthCheck().setInitialDelay(Duration.ZERO);
		properties.getHealthCheck().setUpdateResultsList(false);
		ReactiveLoadBalancer.Factory<ServiceInstance> withProperties = new ReactiveLoadBalancer.Factory<>() {
			@Override
			public LoadBalancerProperties getProperties(String serviceId) {
				return properties;
			}

			@Override
			public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
				return factory.getInstance(serviceId);
			}

			@Override
			public <X> Map<String, X> getInstances(String name, Class<X> type) {
				return factory.getInstances(name, type);
			}

			@Override
			public <X> X getInstance(String name, Class<?> clazz, Class<?>... generics) {
				return factory.getInstance(name, clazz, generics);
			}
		};
		return new Reachable(new HealthCheckServiceInstanceListSupplier(configured, withProperties,
				(instance, path) -> health.check(service, instance)), health);
	}

	/** The configured instances, as they are. */
	record Configured(String getServiceId, List<ServiceInstance> instances) implements ServiceInstanceListSupplier {

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.just(instances);
		}
	}

	/** The healthy instances less those a request could not reach, and those this request tried. */
	static final class Reachable extends DelegatingServiceInstanceListSupplier {

		private final InstanceHealth health;

		Reachable(ServiceInstanceListSupplier delegate, InstanceHealth health) {
			super(delegate);
			this.health = health;
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return get(null);
		}

		@Override
		public Flux<List<ServiceInstance>> get(Request request) {
			Set<?> tried = request != null && request.getContext() instanceof RequestDataContext context
					&& context.getClientRequest() != null && context.getClientRequest().getAttributes() != null
					&& context.getClientRequest().getAttributes().get(TRIED) instanceof Set<?> set ? set : Set.of();
			return delegate.get().map(list -> list.stream()
					.filter(i -> !health.isUnreachable(i) && !tried.contains(InstanceHealth.key(i))).toList());
		}
	}
}
