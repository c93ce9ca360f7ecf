package dev.videoforge.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The shared real media files, and ffprobe/ffmpeg as a user would run them. What the product
 * made is checked by decoding it, in {@link Renditions}; a probe here reads headers only.
 */
public final class Media {

	/** Pipe readers block: their own threads, never the common pool (one thread on a 2-core machine). */
	private static final java.util.concurrent.ExecutorService DRAINERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

	private Media() {
	}

	/** {@code ../shared/media/real/<name>}, found from the repository root or its parents. */
	public static Path real(String name) {
		Path dir = Path.of("").toAbsolutePath();
		for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
			Path candidate = dir.resolve("../shared/media/real").resolve(name).normalize();
			if (Files.exists(candidate)) {
				return candidate;
			}
			candidate = dir.resolve("shared/media/real").resolve(name).normalize();
			if (Files.exists(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("test media ../shared/media/real/" + name + " not found");
	}

	public record Run(int exitCode, String stdout, String stderr) {
	}

	public static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
		CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINERS);
		CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINERS);
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("timed out: " + command);
		}
		return new Run(process.exitValue(), out.join(), err.join());
	}

	private static String drain(InputStream in) {
		try (in) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			in.transferTo(buffer);
			return buffer.toString(StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "";
		}
	}

	/** ffprobe's JSON of streams and format for a file or URL. */
	public static JsonNode probe(String input) throws IOException, InterruptedException {
		Run run = run(List.of("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", input), 120);
		if (run.exitCode() != 0) {
			throw new AssertionError("ffprobe failed on " + input + ": " + run.stderr());
		}
		return ApiClient.JSON.readTree(run.stdout());
	}

	/** A test pattern with a tone, {@code seconds} long, as H.264 + AAC: a clip long enough to kill mid-transcode. */
	public static Path testClip(Path target, String size, int seconds) throws IOException, InterruptedException {
		return testClip(target, size, seconds, "30");
	}

	/** As {@link #testClip(Path, String, int)}, at a frame rate of {@code rate} ({@code 30000/1001} for NTSC's 29.97). */
	public static Path testClip(Path target, String size, int seconds, String rate) throws IOException, InterruptedException {
		Run made = run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate, "-f",
				"lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264",
				"-preset", "ultrafast", "-c:a", "aac", "-shortest", target.toString()), 120);
		if (made.exitCode() != 0) {
			throw new AssertionError("could not make a test clip: " + made.stderr());
		}
		return target;
	}

	public static JsonNode stream(JsonNode probe, String type) {
		for (JsonNode stream : probe.path("streams")) {
			if (stream.path("codec_type").asString("").equals(type)) {
				return stream;
			}
		}
		return null;
	}
}
