package dev.videoforge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The instances of a service behind the gateway, each a real local HTTP server whose readiness
 * answer the test sets: round-robin over those that are up, down at once when a request fails or
 * the health check does, up again when the health check passes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServicePoolTests {

	private static final String HEALTH = "/actuator/health/readiness";
	private final List<HttpServer> servers = new ArrayList<>();
	private final ExecutorService executor = Executors.newCachedThreadPool();
	private final CountDownLatch release = new CountDownLatch(1);

	/** A local instance answering {@code status} on the readiness path (changeable later). */
	private URI instance(AtomicInteger status) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext(HEALTH, exchange -> {
			int code = status.get();
			if (code == 0) {
				// Never answers (until the test ends).
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				code = 500;
			}
			exchange.sendResponseHeaders(code, -1);
			exchange.close();
		});
		server.setExecutor(executor);
		server.start();
		servers.add(server);
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
	}

	/** An address where nothing listens. */
	private static URI nothingListening() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
		}
	}

	@AfterEach
	void stop() {
		release.countDown();
		servers.forEach(s -> s.stop(0));
		executor.shutdownNow();
	}

	private static Map<URI, Integer> choices(ServicePool pool, int times) {
		Map<URI, Integer> counts = new HashMap<>();
		for (int i = 0; i < times; i++) {
			pool.choose(List.of()).ifPresent(u -> counts.merge(u, 1, Integer::sum));
		}
		return counts;
	}

	@Test
	void spreadsRequestsRoundRobinOverTheInstancesThatAreUp() throws IOException {
		URI a = instance(new AtomicInteger(200));
		URI b = instance(new AtomicInteger(200));
		URI c = instance(new AtomicInteger(200));
		ServicePool pool = new ServicePool("gallery", List.of(a, b, c), HEALTH, Duration.ofSeconds(2));
		assertThat(choices(pool, 9)).containsOnly(Map.entry(a, 3), Map.entry(b, 3), Map.entry(c, 3));
	}

	@Test
	void aRetryGoesToAnInstanceNotYetTried() throws IOException {
		URI a = instance(new AtomicInteger(200));
		URI b = instance(new AtomicInteger(200));
		ServicePool pool = new ServicePool("gallery", List.of(a, b), HEALTH, Duration.ofSeconds(2));
		for (int i = 0; i < 4; i++) {
			assertThat(pool.choose(List.of(a))).contains(b);
		}
		assertThat(pool.choose(List.of(a, b))).isEmpty();
	}

	@Test
	void anInstanceMarkedDownIsSkippedUntilItsHealthCheckPasses() throws IOException {
		URI a = instance(new AtomicInteger(200));
		URI b = instance(new AtomicInteger(200));
		ServicePool pool = new ServicePool("streaming", List.of(a, b), HEALTH, Duration.ofSeconds(2));
		pool.markDown(a, "connection refused");
		assertThat(choices(pool, 6)).containsOnly(Map.entry(b, 6));
		assertThat(pool.describe()).containsExactly(a + " (down)", b + " (up)");
		pool.checkAll();
		assertThat(pool.describe()).containsExactly(a + " (up)", b + " (up)");
		assertThat(choices(pool, 6)).containsOnly(Map.entry(a, 3), Map.entry(b, 3));
	}

	@Test
	void theHealthCheckTakesDownAnInstanceThatIsNotReadyOrNotThereAndBringsItBack() throws IOException {
		AtomicInteger readiness = new AtomicInteger(200);
		URI ready = instance(new AtomicInteger(200));
		URI flapping = instance(readiness);
		URI gone = nothingListening();
		ServicePool pool = new ServicePool("gallery", List.of(ready, flapping, gone), HEALTH, Duration.ofSeconds(2));
		readiness.set(503);
		pool.checkAll();
		assertThat(pool.describe()).containsExactly(ready + " (up)", flapping + " (down)", gone + " (down)");
		assertThat(choices(pool, 4)).containsOnly(Map.entry(ready, 4));

		readiness.set(200);
		pool.checkAll();
		assertThat(pool.describe()).containsExactly(ready + " (up)", flapping + " (up)", gone + " (down)");
		Map<URI, Integer> back = choices(pool, 6);
		assertThat(back).containsOnlyKeys(ready, flapping);
		assertThat(back.get(flapping)).as("the instance back up gets requests again").isPositive();
	}

	@Test
	void withEveryInstanceDownThereIsNoChoice() throws IOException {
		URI a = instance(new AtomicInteger(503));
		ServicePool pool = new ServicePool("gallery", List.of(a, nothingListening()), HEALTH, Duration.ofSeconds(2));
		pool.checkAll();
		assertThat(pool.choose(List.of())).isEmpty();
	}

	@Test
	void anInstanceThatNeverAnswersIsDownAfterTheTimeout() throws IOException {
		URI silent = instance(new AtomicInteger(0));
		ServicePool pool = new ServicePool("gallery", List.of(silent), HEALTH, Duration.ofMillis(500));
		Instant before = Instant.now();
		pool.checkAll();
		assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(20));
		assertThat(pool.describe()).containsExactly(silent + " (down)");
	}
}
