package dev.videoforge.gateway.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one service behind the gateway. Each is checked every health interval (its
 * readiness endpoint must answer 2xx) and marked down at once when a proxied request cannot reach
 * it; requests go round-robin to the instances that are up.
 */
final class ServicePool {

	private static final Logger log = LoggerFactory.getLogger(ServicePool.class);

	final String name;
	private final List<Instance> instances;
	private final AtomicInteger next = new AtomicInteger();
	private final HttpClient client;
	private final String healthPath;
	private final Duration timeout;

	ServicePool(String name, List<URI> urls, String healthPath, Duration timeout) {
		this.name = name;
		this.instances = urls.stream().map(Instance::new).toList();
		this.healthPath = healthPath;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
	}

	/** The next healthy instance after {@code tried}, round-robin; empty when none is up. */
	Optional<URI> choose(List<URI> tried) {
		int n = instances.size();
		int start = Math.floorMod(next.getAndIncrement(), n);
		for (int i = 0; i < n; i++) {
			Instance instance = instances.get((start + i) % n);
			if (instance.up && !tried.contains(instance.url)) {
				return Optional.of(instance.url);
			}
		}
		return Optional.empty();
	}

	void markDown(URI url, String why) {
		for (Instance instance : instances) {
			if (instance.url.equals(url) && instance.up) {
				instance.up = false;
				log.warn("{} instance {} is down: {}", name, url, why);
			}
		}
	}

	void checkAll() {
		for (Instance instance : instances) {
			boolean up;
			String why = "";
			try {
				HttpResponse<Void> response = client.send(HttpRequest.newBuilder(instance.url.resolve(healthPath))
						.timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
				up = response.statusCode() / 100 == 2;
				why = "health check answered " + response.statusCode();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception e) {
				up = false;
				why = "health check failed: " + e;
			}
			if (up != instance.up) {
				if (up) {
					log.info("{} instance {} is up", name, instance.url);
				}
				else {
					log.warn("{} instance {} is down: {}", name, instance.url, why);
				}
				instance.up = up;
			}
		}
	}

	List<String> describe() {
		List<String> out = new ArrayList<>();
		instances.forEach(i -> out.add(i.url + (i.up ? " (up)" : " (down)")));
		return out;
	}

	private static final class Instance {
		final URI url;
		/** Optimistic at start: the first check runs at once, and a failed request marks it down. */
		volatile boolean up = true;

		Instance(URI url) {
			this.url = url;
		}
	}
}
