package dev.videoforge.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Runs one short ffmpeg or ffprobe job outside the transcoder (a probe, a poster picked by an
 * owner, an MP4 remuxed for download) the way every media run is made: inside the {@link Sandbox}, which
 * sees only the given inputs and the job's own folder, under a time cap, with the job's folder
 * capped in size and the tool's output read into bounded buffers. The caller pins the input
 * format in the command itself ({@link ContainerFormats#pinnedInput}).
 */
@Component
public class MediaTools {

	/** Pipe readers block: their own threads, never the common pool. */
	private static final ExecutorService DRAINERS = Executors.newVirtualThreadPerTaskExecutor();

	private static final int MAX_STDERR = 64 * 1024;

	/** Why a run was stopped before it ended by itself. */
	public enum Stop {
		/** It ran past its time cap. */
		TIME,
		/** The files it wrote grew past their cap. */
		FILES,
		/** It wrote more to stdout than the caller reads. */
		STDOUT
	}

	/**
	 * How a run ended; {@code stop} (and {@code killedBecause}, in words) is set when it was
	 * stopped, else null.
	 */
	public record Result(int exitCode, String stdout, String stderr, Stop stop, String killedBecause) {

		public boolean succeeded() {
			return exitCode == 0 && stop == null;
		}

		/** The last line the tool wrote to stderr, or why it was stopped: for logs and owners. */
		public String reason() {
			if (killedBecause != null) {
				return killedBecause;
			}
			return stderr.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit code " + exitCode).strip();
		}
	}

	private final MediaSettings settings;
	private final Sandbox sandbox;

	public MediaTools(MediaSettings settings, Sandbox sandbox) {
		this.settings = settings;
		this.sandbox = sandbox;
	}

	/** The ffmpeg executable as configured (the first word of a command given to {@link #run}). */
	public String ffmpeg() {
		return settings.ffmpeg();
	}

	public String ffprobe() {
		return settings.ffprobe();
	}

	/**
	 * Runs the command in the sandbox with {@code readOnly} files or folders visible and
	 * {@code workDir} writable (null: nothing writable); stops it when it runs past {@code timeout},
	 * when the files in {@code workDir} grow past {@code maxOutputBytes} or stdout past
	 * {@code maxStdout} bytes. Both pipes are drained on their own threads, so a tool that writes a
	 * lot never blocks on a full pipe; a stopped tool is killed with every process it started.
	 */
	public Result run(List<String> command, Collection<Path> readOnly, Path workDir, Duration timeout, long maxOutputBytes,
			long maxStdout) {
		return run(sandbox, command, readOnly, workDir, timeout, maxOutputBytes, maxStdout);
	}

	/** As {@link #run(List, Collection, Path, Duration, long, long)}, in the given sandbox. */
	public static Result run(Sandbox sandbox, List<String> command, Collection<Path> readOnly, Path workDir, Duration timeout,
			long maxOutputBytes, long maxStdout) {
		Process process = null;
		try {
			List<String> wrapped = sandbox.wrap(command, readOnly, workDir == null ? List.of() : List.of(workDir));
			ProcessBuilder builder = new ProcessBuilder(wrapped).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			if (workDir != null) {
				builder.directory(workDir.toFile());
			}
			process = builder.start();
			Process started = process;
			CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(started.getInputStream(), maxStdout, started),
					DRAINERS);
			CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(started.getErrorStream(), MAX_STDERR, null),
					DRAINERS);
			Stop stop = null;
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
				if (System.nanoTime() > deadline) {
					stop = Stop.TIME;
				}
				else if (workDir != null && maxOutputBytes < Long.MAX_VALUE && sizeOf(workDir) > maxOutputBytes) {
					stop = Stop.FILES;
				}
				if (stop != null) {
					kill(process);
					process.waitFor();
					break;
				}
			}
			String stdout = out.join();
			if (stdout == null) {
				stop = Stop.STDOUT;
				stdout = "";
			}
			String stderr = err.join();
			String why = stop == null ? null : switch (stop) {
				case TIME -> "took longer than " + timeout.toSeconds() + " s";
				case FILES -> "its output grew past " + maxOutputBytes + " bytes";
				case STDOUT -> "it wrote more than " + maxStdout + " bytes";
			};
			return new Result(process.exitValue(), stdout, stderr == null ? "" : stderr, stop, why);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot run " + command.get(0) + " (is ffmpeg installed?)", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running " + command.get(0), e);
		}
		finally {
			if (process != null && process.isAlive()) {
				kill(process);
			}
		}
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/**
	 * The stream's text up to {@code max} bytes. Past that: with {@code owner} given, the process
	 * is killed and null returned; else the rest is read and dropped.
	 */
	private static String read(InputStream in, long max, Process owner) {
		try (in) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			byte[] chunk = new byte[8192];
			int n;
			while ((n = in.read(chunk)) >= 0) {
				if (buffer.size() + n > max) {
					if (owner != null) {
						kill(owner);
						return null;
					}
					buffer.write(chunk, 0, (int) Math.max(0, max - buffer.size()));
				}
				else {
					buffer.write(chunk, 0, n);
				}
			}
			return buffer.toString(StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "";
		}
	}

	/** The bytes of the regular files under {@code folder} (0 when it cannot be read). */
	public static long sizeOf(Path folder) {
		try (var walk = Files.walk(folder)) {
			return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
		}
		catch (IOException | UncheckedIOException e) {
			return 0;
		}
	}
}
