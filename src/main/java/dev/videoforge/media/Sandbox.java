package dev.videoforge.media;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs ffprobe and ffmpeg where they see only the job's own files: a bubblewrap sandbox with the
 * system's programs and libraries read-only, the input files read-only, the job's folder writable,
 * and nothing else of the machine (no other uploads, no renditions, no database, no secrets, no
 * network). This is defence in depth behind {@link ContainerFormats}: a demuxer tricked into
 * opening another path finds nothing there. Checked once at start by running ffprobe inside it.
 */
@Component
public class Sandbox {

	private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

	private final MediaSettings settings;
	private final boolean enabled;
	private final List<String> base;

	public Sandbox(MediaSettings settings) {
		this.settings = settings;
		List<String> prefix = null;
		String why;
		if (settings.sandbox() == MediaSettings.SandboxMode.OFF) {
			why = "turned off (videoforge.media.sandbox=off)";
		}
		else if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
			why = "bubblewrap needs Linux";
		}
		else {
			prefix = basePrefix(settings);
			why = selfTest(prefix, settings);
			if (why != null) {
				prefix = null;
			}
		}
		this.enabled = prefix != null;
		this.base = prefix;
		if (enabled) {
			log.info("media sandbox: on (bubblewrap; ffprobe and ffmpeg see only each job's own files, no network)");
		}
		else if (settings.sandbox() == MediaSettings.SandboxMode.REQUIRED) {
			throw new IllegalStateException("videoforge.media.sandbox=required, but the sandbox cannot run: " + why
					+ ". Install bubblewrap ('apt-get install bubblewrap') or allow user namespaces.");
		}
		else {
			log.warn("media sandbox: OFF ({}); ffprobe and ffmpeg run with this process's rights. Install bubblewrap "
					+ "(apt-get install bubblewrap) and set videoforge.media.sandbox=required to insist on it", why);
		}
	}

	public boolean enabled() {
		return enabled;
	}

	/**
	 * The command wrapped so that it sees {@code readOnly} (files or folders) and {@code writable}
	 * (folders) at their own paths and nothing else of the machine; unchanged when the sandbox is off.
	 */
	public List<String> wrap(List<String> command, Collection<Path> readOnly, Collection<Path> writable) {
		if (!enabled) {
			return command;
		}
		List<String> args = new ArrayList<>(base);
		Set<Path> seen = new LinkedHashSet<>();
		for (Path path : writable) {
			Path abs = path.toAbsolutePath().normalize();
			if (seen.add(abs)) {
				args.addAll(List.of("--bind", abs.toString(), abs.toString()));
			}
		}
		for (Path path : readOnly) {
			Path abs = path.toAbsolutePath().normalize();
			if (seen.add(abs)) {
				args.addAll(List.of("--ro-bind", abs.toString(), abs.toString()));
			}
		}
		Path cwd = writable.isEmpty() ? Path.of("/") : writable.iterator().next().toAbsolutePath().normalize();
		args.addAll(List.of("--chdir", cwd.toString(), "--"));
		List<String> tool = new ArrayList<>(command);
		tool.set(0, resolve(command.get(0)));
		args.addAll(tool);
		return args;
	}

	/** The system's programs and libraries read-only, a private /dev, /proc and /tmp, no namespaces shared. */
	private static List<String> basePrefix(MediaSettings settings) {
		List<String> args = new ArrayList<>(List.of(settings.bwrap(), "--unshare-all", "--die-with-parent", "--new-session",
				"--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--ro-bind", "/usr", "/usr"));
		for (String dir : List.of("/lib", "/lib64", "/lib32", "/bin", "/sbin")) {
			Path path = Path.of(dir);
			try {
				if (Files.isSymbolicLink(path)) {
					args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), dir));
				}
				else if (Files.isDirectory(path)) {
					args.addAll(List.of("--ro-bind", dir, dir));
				}
			}
			catch (IOException e) {
				// not there: nothing to bind
			}
		}
		// What the dynamic linker and Debian's alternatives (libblas, liblapack) need.
		for (String file : List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives")) {
			args.addAll(List.of("--ro-bind-try", file, file));
		}
		// Tools installed outside /usr (a static ffmpeg in /opt, say): their own folder, read-only.
		for (String tool : List.of(settings.ffmpeg(), settings.ffprobe())) {
			Path resolved = Path.of(resolve(tool)).toAbsolutePath();
			try {
				resolved = resolved.toRealPath();
			}
			catch (IOException e) {
				// keep as is
			}
			if (!resolved.startsWith("/usr") && resolved.getParent() != null) {
				args.addAll(List.of("--ro-bind", resolved.getParent().toString(), resolved.getParent().toString()));
			}
		}
		args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
		return args;
	}

	/** Runs ffprobe -version inside; null when that worked, else why not. */
	private static String selfTest(List<String> prefix, MediaSettings settings) {
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of("--chdir", "/", "--", resolve(settings.ffprobe()), "-version"));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
			byte[] output = process.getInputStream().readNBytes(4096);
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return "bubblewrap did not answer within 20 s";
			}
			if (process.exitValue() != 0) {
				String text = new String(output, java.nio.charset.StandardCharsets.UTF_8).strip();
				return "bubblewrap failed (" + (text.length() > 300 ? text.substring(0, 300) : text) + ")";
			}
			return null;
		}
		catch (IOException e) {
			return settings.bwrap() + " is not installed";
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/** A program name as an absolute path, looked up on PATH as the shell would (the sandbox clears the environment). */
	static String resolve(String program) {
		if (program.contains("/")) {
			return Path.of(program).toAbsolutePath().toString();
		}
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, program);
			if (Files.isExecutable(candidate)) {
				return candidate.toAbsolutePath().toString();
			}
		}
		return program;
	}

	MediaSettings settings() {
		return settings;
	}
}
