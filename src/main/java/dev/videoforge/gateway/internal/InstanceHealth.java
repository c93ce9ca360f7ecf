package dev.videoforge.gateway.internal;

import dev.videoforge.gateway.GatewaySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the gateway knows of its services' instances beyond Spring Cloud LoadBalancer's health
 * checks: the readiness check itself (any 2xx, within the connect timeout, logged when an instance
 * goes up or down), and the instances a proxied request could not reach, left out at once until
 * their health check passes again.
 */
class InstanceHealth {

	private static final Logger log = LoggerFactory.getLogger(InstanceHealth.class);

	private final RestClient client;
	private final String healthPath;
	/** Instances (host:port) a request could not reach since their last passed check. */
	private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
	/** The last known state of each instance (host:port), for logging changes once. */
	private final Map<String, Boolean> up = new ConcurrentHashMap<>();

	InstanceHealth(GatewaySettings settings) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout())
				.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(settings.connectTimeout());
		this.client = RestClient.builder().requestFactory(factory).build();
		this.healthPath = settings.healthPath();
	}

	static String key(ServiceInstance instance) {
		return instance.getHost() + ":" + instance.getPort();
	}

	static String key(URI url) {
		return url.getHost() + ":" + url.getPort();
	}

	/** The readiness check Spring Cloud LoadBalancer runs every health interval (off its event loop). */
	Mono<Boolean> check(String service, ServiceInstance instance) {
		return Mono.fromCallable(() -> {
			String why;
			boolean ready;
			try {
				var status = client.get().uri(instance.getUri().resolve(healthPath)).retrieve()
						.onStatus(s -> true, (request, response) -> {
						}).toBodilessEntity().getStatusCode();
				ready = status.is2xxSuccessful();
				why = "health check answered " + status.value();
			}
			catch (RuntimeException e) {
				ready = false;
				why = "health check failed: " + org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e);
			}
			note(service, instance.getUri(), ready, why);
			if (ready) {
				unreachable.remove(key(instance));
			}
			return ready;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** A proxied request could not connect: the instance is left out until its health check passes. */
	void unreachable(String service, URI url, String why) {
		unreachable.add(key(url));
		note(service, URI.create(url.getScheme() + "://" + url.getRawAuthority()), false, why);
	}

	boolean isUnreachable(ServiceInstance instance) {
		return unreachable.contains(key(instance));
	}

	private void note(String service, URI url, boolean ready, String why) {
		String key = url.getHost() + ":" + url.getPort();
		Boolean before = up.put(key, ready);
		if (before == null && ready) {
			log.info("{} instance {} is up", service, url);
		}
		else if (before != null && before != ready) {
			if (ready) {
				log.info("{} instance {} is up", service, url);
			}
			else {
				log.warn("{} instance {} is down: {}", service, url, why);
			}
		}
		else if (before == null) {
			log.warn("{} instance {} is down: {}", service, url, why);
		}
	}
}
