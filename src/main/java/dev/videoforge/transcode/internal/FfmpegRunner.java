package dev.videoforge.transcode.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Runs one ffmpeg process: reads its {@code -progress} output into a fraction done, keeps its
 * stderr in a log file, and kills it on timeout, on a stall (no progress for a while) or when
 * the caller says to stop (the job's lease was lost).
 */
final class FfmpegRunner {

	/** How an ffmpeg run ended. {@code errorLines} are the first and last lines ffmpeg wrote to stderr. */
	record Result(int exitCode, List<String> errorLines, String killedBecause, long frames, double outTimeSeconds) {

		boolean succeeded() {
			return exitCode == 0 && killedBecause == null;
		}
	}

	static final long MAX_LOG_BYTES = 5L * 1024 * 1024;

	private FfmpegRunner() {
	}

	/**
	 * Runs the command. Progress is {@code frame=} over {@code expectedFrames} when there is video
	 * ({@code out_time} is the furthest timestamp of any output, and the storyboard's tiles carry
	 * timestamps far past the end), else {@code out_time} over {@code durationSeconds}.
	 */
	static Result run(List<String> command, Path log, double durationSeconds, long expectedFrames, DoubleConsumer progress,
			BooleanSupplier keepGoing, Duration stallTimeout, Duration timeout) throws IOException, InterruptedException {
		return run(command, log, durationSeconds, expectedFrames, progress, keepGoing, stallTimeout, timeout, null, 0);
	}

	/**
	 * As above, and ffmpeg is killed when the files under {@code output} grow by more than
	 * {@code maxOutputBytes} (checked every few seconds): a file must not fill the disk. What the
	 * folder held before (the source downloaded from S3 into the job's folder, an earlier step's
	 * output) is not counted.
	 */
	static Result run(List<String> command, Path log, double durationSeconds, long expectedFrames, DoubleConsumer progress,
			BooleanSupplier keepGoing, Duration stallTimeout, Duration timeout, Path output, long maxOutputBytes)
			throws IOException, InterruptedException {
		Files.createDirectories(log.getParent());
		if (output != null) {
			maxOutputBytes = Math.addExact(maxOutputBytes, sizeOf(output));
		}
		Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
		AtomicLong lastProgress = new AtomicLong(System.nanoTime());
		AtomicLong frames = new AtomicLong();
		AtomicLong outTimeMicros = new AtomicLong();
		List<String> tail = new ArrayList<>();
		Thread stdout = Thread.ofVirtual()
				.start(() -> readProgress(process, durationSeconds, expectedFrames, progress, lastProgress, frames, outTimeMicros));
		Thread stderr = Thread.ofVirtual().start(() -> copyErrors(process, log, command, tail));
		String killed = null;
		long started = System.nanoTime();
		try {
			killed = supervise(process, keepGoing, lastProgress, started, stallTimeout, timeout, output, maxOutputBytes);
		}
		catch (InterruptedException e) {
			// This process is stopping: ffmpeg must not outlive the attempt.
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			throw e;
		}
		stdout.join(5000);
		stderr.join(5000);
		synchronized (tail) {
			return new Result(process.exitValue(), List.copyOf(tail), killed, frames.get(), outTimeMicros.get() / 1e6);
		}
	}

	/** Waits for ffmpeg; kills it and says why when it must stop early. */
	private static String supervise(Process process, BooleanSupplier keepGoing, AtomicLong lastProgress, long started,
			Duration stallTimeout, Duration timeout, Path output, long maxOutputBytes) throws InterruptedException {
		String killed = null;
		int ticks = 0;
		while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
			long now = System.nanoTime();
			if (output != null && ++ticks % 6 == 0 && sizeOf(output) > maxOutputBytes) {
				killed = "the output grew past " + maxOutputBytes / (1024 * 1024) + " MB";
			}
			else if (!keepGoing.getAsBoolean()) {
				killed = "the job's lease was lost";
			}
			else if (now - lastProgress.get() > stallTimeout.toNanos()) {
				killed = "ffmpeg made no progress for " + stallTimeout.toSeconds() + " s";
			}
			else if (now - started > timeout.toNanos()) {
				killed = "the transcode took longer than " + timeout.toMinutes() + " min";
			}
			if (killed != null) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor();
				break;
			}
		}
		return killed;
	}

	private static void readProgress(Process process, double durationSeconds, long expectedFrames,
			DoubleConsumer progress, AtomicLong lastProgress, AtomicLong frames, AtomicLong outTimeMicros) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			long last = -1;
			while ((line = reader.readLine()) != null) {
				double fraction;
				long value;
				if (line.startsWith("frame=")) {
					frames.accumulateAndGet(parseLong(line.substring(6)), Math::max);
				}
				else if (line.startsWith("out_time_us=")) {
					outTimeMicros.accumulateAndGet(parseLong(line.substring(12)), Math::max);
				}
				if (expectedFrames > 0 && line.startsWith("frame=")) {
					value = parseLong(line.substring(6));
					fraction = value / (double) expectedFrames;
				}
				else if (expectedFrames <= 0 && line.startsWith("out_time_us=")) {
					value = parseLong(line.substring(12));
					fraction = durationSeconds > 0 ? value / 1_000_000.0 / durationSeconds : 0;
				}
				else {
					continue;
				}
				if (value > last) {
					last = value;
					lastProgress.set(System.nanoTime());
					progress.accept(Math.min(1.0, fraction));
				}
			}
		}
		catch (IOException e) {
			// The process ended or was killed.
		}
	}

	private static void copyErrors(Process process, Path log, List<String> command, List<String> tail) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
				OutputStream out = Files.newOutputStream(log)) {
			out.write(("$ " + String.join(" ", shown(command)) + "\n").getBytes(StandardCharsets.UTF_8));
			String line;
			int written = 0;
			long bytes = 0;
			while ((line = reader.readLine()) != null) {
				// A damaged stream can make ffmpeg complain for ever: keep the log bounded.
				byte[] text = (line + "\n").getBytes(StandardCharsets.UTF_8);
				if (bytes < MAX_LOG_BYTES) {
					bytes += text.length;
					out.write(text);
					if (bytes >= MAX_LOG_BYTES) {
						out.write("[log truncated]\n".getBytes(StandardCharsets.UTF_8));
					}
				}
				synchronized (tail) {
					// Keep the first 20 lines (where a decoder says what broke) and the last 20.
					if (written++ >= 20) {
						if (tail.size() >= 40) {
							tail.remove(20);
						}
					}
					tail.addLast(line);
				}
			}
		}
		catch (IOException e) {
			// The process ended or was killed.
		}
	}

	/** The tool's own command: a sandbox's wrapper (everything up to its {@code --}) says nothing to a reader of the log. */
	static List<String> shown(List<String> command) {
		int end = command.indexOf("--");
		if (end > 0 && command.get(0).endsWith("bwrap")) {
			List<String> tool = new ArrayList<>(command.subList(end + 1, command.size()));
			tool.set(0, Path.of(tool.get(0)).getFileName().toString());
			return tool;
		}
		return command;
	}

	private static long sizeOf(Path folder) {
		try (var walk = Files.walk(folder)) {
			return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
		}
		catch (IOException | java.io.UncheckedIOException e) {
			return 0;
		}
	}

	private static long parseLong(String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException e) {
			return -1;
		}
	}
}
