package dev.videoforge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.videoforge.VideoForgeApplication;
import dev.videoforge.support.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway role's balancing (Spring Cloud LoadBalancer) over three gallery instances, each a
 * real local HTTP server that answers with its name and whose readiness the test sets: round-robin
 * over the ready ones, an instance left out while its readiness check fails and back when it
 * passes, a GET that cannot reach its instance answered by another, a request with a body not
 * repeated, and 503 with the error JSON when no instance is left.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoadBalancedProxyIntegrationTests {

	/** A gallery instance: answers every request with its name; readiness as set. */
	static final class Instance {

		final String name;
		final AtomicInteger readiness = new AtomicInteger(200);
		final int port;
		HttpServer server;

		Instance(String name) throws IOException {
			this.name = name;
			this.server = start(0);
			this.port = server.getAddress().getPort();
		}

		private HttpServer start(int onPort) throws IOException {
			HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
			http.createContext("/actuator/health/readiness", exchange -> {
				exchange.sendResponseHeaders(readiness.get(), -1);
				exchange.close();
			});
			http.createContext("/", exchange -> {
				exchange.getRequestBody().readAllBytes();
				byte[] body = ("{\"instance\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			http.start();
			return http;
		}

		void stop() {
			if (server != null) {
				server.stop(0);
				server = null;
			}
		}

		void ensureStarted() throws IOException {
			if (server == null) {
				server = start(port);
			}
		}

		String url() {
			return "http://127.0.0.1:" + port + "/";
		}
	}

	static final List<Instance> INSTANCES = new ArrayList<>();
	static ConfigurableApplicationContext gateway;
	static String base;
	static final HttpClient HTTP = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		for (String name : List.of("a", "b", "c")) {
			INSTANCES.add(new Instance(name));
		}
		var data = Files.createTempDirectory("videoforge-lb-");
		gateway = new SpringApplicationBuilder(VideoForgeApplication.class).run("--videoforge.roles=gateway", "--server.port=0",
				"--videoforge.data-dir=" + data, "--videoforge.gateway.health-interval=300ms",
				"--videoforge.gateway.connect-timeout=1s", "--videoforge.gateway.services.streaming=http://127.0.0.1:9/",
				"--videoforge.gateway.services.gallery=" + String.join(",", INSTANCES.stream().map(Instance::url).toList()));
		base = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		INSTANCES.forEach(Instance::stop);
	}

	@BeforeEach
	void everyInstanceReady() throws Exception {
		for (Instance instance : INSTANCES) {
			instance.ensureStarted();
			instance.readiness.set(200);
		}
		awaitAnswers(counts -> counts.keySet().containsAll(List.of("a", "b", "c")), "every instance back in rotation");
	}

	private static HttpResponse<String> get() throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/gallery/videos")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** Who answered each of {@code times} GETs (the status when it was not 200). */
	private static Map<String, Integer> answers(int times) throws IOException, InterruptedException {
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < times; i++) {
			HttpResponse<String> response = get();
			String who = response.statusCode() == 200 ? ApiClient.json(response).path("instance").asString()
					: String.valueOf(response.statusCode());
			counts.merge(who, 1, Integer::sum);
		}
		return counts;
	}

	/** Sends rounds of 12 GETs until one round's answers satisfy {@code condition} (10 s at most). */
	private static Map<String, Integer> awaitAnswers(Predicate<Map<String, Integer>> condition, String what) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Map<String, Integer> last;
		do {
			last = answers(12);
			if (condition.test(last)) {
				return last;
			}
			Thread.sleep(100);
		} while (System.nanoTime() < deadline);
		throw new AssertionError(what + " within 10 s; last answers " + last);
	}

	@Test
	void requestsGoRoundRobinToTheReadyInstancesAndFollowTheirReadiness() throws Exception {
		Map<String, Integer> spread = answers(30);
		assertThat(spread).containsOnlyKeys("a", "b", "c");
		assertThat(spread.values()).allSatisfy(n -> assertThat(n).as("round-robin share of 30: %s", spread).isBetween(8, 12));

		INSTANCES.get(2).readiness.set(503);
		awaitAnswers(counts -> counts.keySet().equals(java.util.Set.of("a", "b")), "c left out while not ready");
		INSTANCES.get(2).readiness.set(200);
		awaitAnswers(counts -> counts.containsKey("c"), "c back once ready");

		INSTANCES.forEach(i -> i.readiness.set(503));
		awaitAnswers(counts -> counts.keySet().equals(java.util.Set.of("503")), "every request refused with none ready");
		HttpResponse<String> refused = get();
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("service_unavailable");
		assertThat(ApiClient.json(refused).path("message").asString()).isEqualTo("no gallery instance is healthy; try again shortly");
	}

	@Test
	void aGetThatCannotReachItsInstanceIsAnsweredByAnotherAndABodyIsNotSentTwice(CapturedOutput output) throws Exception {
		Instance b = INSTANCES.get(1);
		// Gone between two readiness checks: its connections are refused, the balancer still lists it.
		b.stop();
		Map<String, Integer> counts = answers(12);
		assertThat(counts).as("every GET answered, by the others").containsOnlyKeys("a", "c");
		assertThat(output.getOut()).contains("gallery instance http://127.0.0.1:" + b.port + " is down");

		// Only b in rotation, then gone: a POST is not repeated elsewhere, it is refused.
		b.ensureStarted();
		INSTANCES.get(0).readiness.set(503);
		INSTANCES.get(2).readiness.set(503);
		awaitAnswers(seen -> seen.keySet().equals(java.util.Set.of("b")), "only b in rotation");
		b.stop();
		HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/gallery/videos/x/anything"))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(post.statusCode()).as(post.body()).isEqualTo(503);
		assertThat(ApiClient.json(post).path("message").asString()).isEqualTo("the gallery instance could not be reached; try again");
		HttpResponse<String> none = get();
		assertThat(none.statusCode()).as(none.body()).isEqualTo(503);
		assertThat(ApiClient.json(none).path("error").asString()).isEqualTo("service_unavailable");
	}
}
