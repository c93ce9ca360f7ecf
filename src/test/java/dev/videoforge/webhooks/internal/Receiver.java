package dev.videoforge.webhooks.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * A webhook receiver on 127.0.0.1, as a customer would run one: it records every request and
 * answers each path with the status its rule gives for the n-th request to that path (from 1).
 */
final class Receiver implements AutoCloseable {

	/** One request as received: headers with lower-case names, the body as sent. */
	record Received(String path, Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = headers.get(name);
			return values == null || values.isEmpty() ? null : values.get(0);
		}
	}

	private final HttpServer server;
	private final List<Received> received = new CopyOnWriteArrayList<>();
	private final Map<String, IntUnaryOperator> rules = new ConcurrentHashMap<>();
	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
	private final Map<String, String> redirects = new ConcurrentHashMap<>();
	private final Map<String, Duration> delays = new ConcurrentHashMap<>();
	final AtomicInteger connections = new AtomicInteger();

	Receiver() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", this::handle);
		server.start();
	}

	/** Answers {@code path} with {@code rule.applyAsInt(n)} for its n-th request (default 200). */
	Receiver answer(String path, IntUnaryOperator rule) {
		rules.put(path, rule);
		return this;
	}

	/** Answers {@code path} with 302 to {@code location}. */
	Receiver redirect(String path, String location) {
		redirects.put(path, location);
		return rules.put(path, n -> 302) == null ? this : this;
	}

	/** Waits {@code delay} before answering {@code path}. */
	Receiver delay(String path, Duration delay) {
		delays.put(path, delay);
		return this;
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	int port() {
		return server.getAddress().getPort();
	}

	private void handle(HttpExchange exchange) throws IOException {
		connections.incrementAndGet();
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			received.add(new Received(path, headers, body));
			int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
			int status = rules.getOrDefault(path, i -> 200).applyAsInt(n);
			Duration delay = delays.get(path);
			if (delay != null) {
				try {
					Thread.sleep(delay.toMillis());
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			if (redirects.containsKey(path)) {
				exchange.getResponseHeaders().set("Location", redirects.get(path));
			}
			byte[] answer = ("answer " + n).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, answer.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(answer);
			}
		}
	}

	List<Received> received(Predicate<Received> which) {
		return new ArrayList<>(received.stream().filter(which).toList());
	}

	/** Waits until at least {@code count} requests match; fails with what arrived when time is up. */
	List<Received> await(Predicate<Received> which, int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			List<Received> matching = received(which);
			if (matching.size() >= count) {
				return matching;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("expected " + count + " matching requests within " + timeout + "; received: " + received);
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
