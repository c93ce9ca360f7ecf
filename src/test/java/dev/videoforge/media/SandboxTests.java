package dev.videoforge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.support.Media;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bubblewrap sandbox: the command line it builds, what a tool run in it can and cannot see,
 * and that {@code required} refuses to start without bubblewrap. Needs bubblewrap installed (the
 * Dockerfile installs it; {@code apt-get install bubblewrap} here): it is not skipped without it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxTests {

	private static MediaSettings settings(String sandbox, String bwrap) {
		return MediaProbeTests.settings(Map.of("videoforge.media.sandbox", sandbox, "videoforge.media.bwrap", bwrap));
	}

	/** A sandbox that must be on: fails the test, saying why, where bubblewrap does not work. */
	private static Sandbox required() {
		return new Sandbox(settings("required", "bwrap"));
	}

	private static final List<String> TOOL = List.of("ffprobe", "-version");

	@Test
	void offLeavesTheCommandAsItIs() {
		Sandbox sandbox = new Sandbox(settings("off", "bwrap"));
		assertThat(sandbox.enabled()).isFalse();
		assertThat(sandbox.wrap(TOOL, List.of(Path.of("in.mp4")), List.of(Path.of("job")))).isEqualTo(TOOL);
	}

	@Test
	void autoWithoutBubblewrapRunsTheToolUnwrapped() {
		Sandbox sandbox = new Sandbox(settings("auto", "/nonexistent/bwrap"));
		assertThat(sandbox.enabled()).isFalse();
		assertThat(sandbox.wrap(TOOL, List.of(), List.of())).isEqualTo(TOOL);
	}

	@Test
	void requiredWithoutBubblewrapRefusesToStartAndSaysHowToGetIt() {
		assertThatThrownBy(() -> new Sandbox(settings("required", "/nonexistent/bwrap")))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("videoforge.media.sandbox=required")
				.hasMessageContaining("/nonexistent/bwrap is not installed")
				.hasMessageContaining("apt-get install bubblewrap");
	}

	/** The default setting names {@code bwrap} on PATH: a JVM whose PATH has no bubblewrap must not start. */
	@Test
	void requiredRefusesToStartWhereBwrapIsNotOnThePath(@TempDir Path emptyBin) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				RequiredSandbox.class.getName()).redirectErrorStream(true);
		builder.environment().put("PATH", emptyBin.toString());
		Process process = builder.start();
		try {
			String output = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(output).contains("REFUSED: videoforge.media.sandbox=required").contains("bwrap is not installed");
			assertThat(process.exitValue()).as(output).isEqualTo(3);
		}
		finally {
			process.destroyForcibly();
		}
	}

	/** Run in a child JVM by the test above: exit 3 when the sandbox refused, 0 when it started. */
	static final class RequiredSandbox {
		public static void main(String[] args) {
			try {
				new Sandbox(settings("required", "bwrap"));
				System.out.println("STARTED");
				System.exit(0);
			}
			catch (IllegalStateException e) {
				System.out.println("REFUSED: " + e.getMessage());
				System.exit(3);
			}
		}
	}

	@Test
	void wrapsTheToolInAPrivateSystemWithOnlyTheJobsPaths(@TempDir Path dir) throws IOException {
		Sandbox sandbox = required();
		assertThat(sandbox.enabled()).isTrue();
		Path input = Files.writeString(dir.resolve("in.mp4"), "x");
		Path job = Files.createDirectory(dir.resolve("job"));
		// Relative and unnormalised paths are bound by their absolute form; a path given twice, once.
		Path relativeInput = Path.of("").toAbsolutePath().relativize(input);
		List<String> args = sandbox.wrap(TOOL, List.of(relativeInput, input, job.resolve("../job")), List.of(job));

		assertThat(args.get(0)).endsWith("bwrap");
		assertThat(args).containsSubsequence("--unshare-all", "--die-with-parent", "--new-session", "--clearenv");
		assertThat(Collections.indexOfSubList(args, List.of("--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin"))).isPositive();
		assertThat(Collections.indexOfSubList(args, List.of("--ro-bind", "/usr", "/usr"))).isPositive();
		assertThat(Collections.indexOfSubList(args, List.of("--tmpfs", "/tmp"))).isPositive();
		assertThat(Collections.indexOfSubList(args, List.of("--bind", job.toString(), job.toString()))).isPositive();
		assertThat(Collections.indexOfSubList(args, List.of("--ro-bind", input.toString(), input.toString()))).isPositive();
		assertThat(Collections.frequency(args, input.toString())).as("the input bound once").isEqualTo(2);
		assertThat(Collections.frequency(args, job.toString())).as("the job folder bound once, writable").isEqualTo(3);
		assertThat(args).doesNotContain("--share-net", "--bind-try", dir.toString());
		// The tool last, by absolute path, since the sandbox's environment is cleared; its folder as cwd.
		assertThat(args.subList(args.size() - 5, args.size())).containsExactly("--chdir", job.toString(), "--",
				Sandbox.resolve("ffprobe"), "-version");
		assertThat(Sandbox.resolve("ffprobe")).startsWith("/").endsWith("/ffprobe");
	}

	@Test
	void aToolInsideSeesItsInputReadOnlyItsFolderWritableAndNothingElse(@TempDir Path dir) throws Exception {
		Path input = Files.writeString(dir.resolve("in.mp4"), "the upload");
		Path job = Files.createDirectory(dir.resolve("job"));
		Path other = Files.writeString(dir.resolve("other-account.mp4"), "someone else's upload");
		String script = "cat " + input + "; echo; echo written > " + job + "/out && echo WROTE;"
				+ " cat " + other + " && echo LEAKED; echo tamper > " + input + " && echo TAMPERED;"
				+ " ls /work >/dev/null 2>&1 && echo SAW-WORK; env";
		List<String> command = required().wrap(List.of("sh", "-c", script), List.of(input), List.of(job));
		Media.Run run = Media.run(command, 30);
		assertThat(run.stdout()).contains("the upload").contains("WROTE").doesNotContain("LEAKED", "TAMPERED", "SAW-WORK");
		assertThat(Files.readString(job.resolve("out"))).isEqualTo("written\n");
		assertThat(Files.readString(input)).isEqualTo("the upload");
		// The same script outside the sandbox does leak: the checks above can fail.
		Media.Run unwrapped = Media.run(List.of("sh", "-c", script.replace("echo tamper > " + input + " && ", "")), 30);
		assertThat(unwrapped.stdout()).contains("LEAKED");
		// The environment is cleared but for PATH (the shell adds PWD and the like).
		assertThat(run.stdout()).contains("PATH=/usr/local/bin:/usr/bin:/bin").doesNotContain("HOME=", "JAVA_HOME=");
	}

	@Test
	void aToolInsideHasNoNetwork() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo CONNECTED";
			assertThat(Media.run(List.of("bash", "-c", connect), 30).stdout()).as("outside: the server answers")
					.contains("CONNECTED");
			Media.Run inside = Media.run(required().wrap(List.of("bash", "-c", connect), List.of(), List.of()), 30);
			assertThat(inside.stdout()).doesNotContain("CONNECTED");
			assertThat(inside.exitCode()).isNotZero();
		}
	}

	@Test
	void theProbeWorksInsideTheSandbox() {
		MediaSettings on = settings("required", "bwrap");
		MediaInfo info = new MediaProbe(on, new Sandbox(on)).probe(Media.real("hevc_main_854x480_bframes.mp4"),
				Duration.ofMinutes(10));
		assertThat(info.video().width()).isEqualTo(854);
		assertThat(info.durationSeconds()).isPositive();
	}
}
