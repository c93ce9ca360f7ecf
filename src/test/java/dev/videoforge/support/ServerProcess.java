package dev.videoforge.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The built jar started as its own operating-system process, as a user runs it. */
public final class ServerProcess implements AutoCloseable {

	private final Process process;
	private final int port;
	private final Path log;

	private ServerProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	public static Path jar() {
		Path jar = Path.of("target/videoforge.jar").toAbsolutePath();
		if (!Files.exists(jar)) {
			throw new IllegalStateException("target/videoforge.jar is missing: integration tests run after 'package'");
		}
		return jar;
	}

	/**
	 * The command line ({@code java -jar videoforge.jar <args>}) as a user runs it, with its own
	 * configuration folder and server, and none of this environment's VideoForge settings.
	 */
	public static ProcessBuilder commandLine(Path config, String server, List<String> args) {
		List<String> arguments = new java.util.ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
				"-jar", jar().toString()));
		arguments.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(ChildProcesses.java(arguments));
		builder.environment().keySet().removeIf(k -> k.startsWith("VIDEOFORGE_") || k.equals("XDG_CONFIG_HOME"));
		builder.environment().put("VIDEOFORGE_CONFIG_DIR", config.toString());
		builder.environment().put("VIDEOFORGE_SERVER", server);
		return builder;
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Starts the jar with the given settings and waits until its readiness probe answers UP. */
	public static ServerProcess start(int port, Path log, String... settings) throws IOException, InterruptedException {
		return start(port, log, List.of(), settings);
	}

	/** As {@link #start(int, Path, String...)}, with JVM options (system properties) before {@code -jar}. */
	public static ServerProcess start(int port, Path log, List<String> jvmOptions, String... settings)
			throws IOException, InterruptedException {
		// C1 only: a test server starts in about 16 s instead of 20 on two cores (measured), and the
		// tests restart servers dozens of times; what they time is ffmpeg's, not the JIT's.
		List<String> arguments = new ArrayList<>(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
		arguments.addAll(jvmOptions);
		arguments.addAll(List.of("-jar", jar().toString(), "--server.port=" + port));
		arguments.addAll(List.of(settings));
		Process process = ChildProcesses.start(new ProcessBuilder(ChildProcesses.java(arguments)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
		ServerProcess server = new ServerProcess(process, port, log);
		try {
			// Generous: five of them may start at once on two busy cores.
			server.awaitReady(Duration.ofSeconds(180));
		}
		catch (IOException | InterruptedException | RuntimeException e) {
			// A server that never became ready is ended here: nobody else holds it.
			ChildProcesses.killTree(process);
			throw e;
		}
		return server;
	}

	public String base() {
		return "http://127.0.0.1:" + port;
	}

	public Process process() {
		return process;
	}

	private void awaitReady(Duration timeout) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("server exited with " + process.exitValue() + "; log:\n" + Files.readString(log));
			}
			try {
				var response = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200 && response.body().contains("UP")) {
					return;
				}
			}
			catch (IOException e) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("server not ready after " + timeout + "; log:\n" + Files.readString(log));
	}

	/**
	 * SIGKILL, as an out-of-memory killer or a pulled plug would: no shutdown hooks run. What it
	 * had started (ffmpeg) is killed with it, as the plug would.
	 */
	public void kill() throws InterruptedException {
		ChildProcesses.killTree(process);
		process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) {
			process.destroy();
			if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				ChildProcesses.killTree(process);
			}
		}
	}
}
