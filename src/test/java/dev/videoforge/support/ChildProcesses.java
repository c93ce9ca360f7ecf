package dev.videoforge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs the tests start (servers, the command line): started so that they behave as they
 * would from a terminal, and never outliving what they were started for.
 * <ul>
 * <li>SIGINT is reset to its default first: a JVM that inherits an ignored SIGINT (a test run
 * started in the background by a shell, {@code nohup}, some CI runners) installs no handler for
 * it, and a Ctrl-C test would then test the parent's shell rather than the program.</li>
 * <li>Killing one kills what it started (ffmpeg, ffprobe): a SIGKILLed JVM runs no hooks, and its
 * children would otherwise go on using the machine's two cores under the next test.</li>
 * <li>Whatever is still running when the test JVM exits (a test that timed out) is killed.</li>
 * </ul>
 */
public final class ChildProcesses {

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	/** coreutils' env resets a signal's handling before it executes the command (coreutils 8.31+). */
	private static final Path ENV = Path.of("/usr/bin/env");

	private static final boolean RESETS_SIGNALS = resetsSignals();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcesses::killTree), "kill-children"));
	}

	private ChildProcesses() {
	}

	/** The command to start this JVM's own {@code java} with the given arguments. */
	public static List<String> java(List<String> arguments) {
		List<String> command = new ArrayList<>();
		if (RESETS_SIGNALS) {
			command.addAll(List.of(ENV.toString(), "--default-signal=INT"));
		}
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(arguments);
		return command;
	}

	/** Starts it and remembers it until it has ended. */
	public static Process start(ProcessBuilder builder) throws IOException {
		Process process = builder.start();
		RUNNING.add(process);
		process.onExit().thenRun(() -> RUNNING.remove(process));
		return process;
	}

	/** SIGKILL to the process and to everything it started, as a pulled plug would do. */
	public static void killTree(Process process) {
		// Descendants first collected: once the parent is gone they are re-parented and lost.
		List<ProcessHandle> descendants = process.descendants().toList();
		process.destroyForcibly();
		descendants.forEach(ProcessHandle::destroyForcibly);
		try {
			process.waitFor(30, TimeUnit.SECONDS);
			for (ProcessHandle child : descendants) {
				child.onExit().get(15, TimeUnit.SECONDS);
			}
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
			throw new IllegalStateException("a child of " + process.pid() + " did not end after SIGKILL", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean resetsSignals() {
		if (!Files.isExecutable(ENV)) {
			return false;
		}
		try {
			Process probe = new ProcessBuilder(ENV.toString(), "--default-signal=INT", "true").redirectErrorStream(true).start();
			probe.getInputStream().readAllBytes();
			return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
