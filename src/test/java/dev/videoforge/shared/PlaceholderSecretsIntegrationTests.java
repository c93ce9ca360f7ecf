package dev.videoforge.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ChildProcesses;
import dev.videoforge.support.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar, started with the placeholder secret the compose file used to ship, refuses to start and says why. */
class PlaceholderSecretsIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void theServerRefusesToStartWithAShippedPlaceholderSecret() throws Exception {
		Path log = temp.resolve("start.log");
		ProcessBuilder builder = new ProcessBuilder(ChildProcesses.java(List.of("-Xmx256m", "-jar", ServerProcess.jar().toString(),
				"--server.port=" + ServerProcess.freePort(), "--videoforge.data-dir=" + temp.resolve("data"))))
				.redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("VIDEOFORGE_AUTH_JWT_SECRET", "change-me-to-32-or-more-random-characters");
		Process process = ChildProcesses.start(builder);
		try {
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("it stops by itself").isTrue();
			assertThat(process.exitValue()).isNotZero();
			assertThat(Files.readString(log)).contains("refusing to start: VIDEOFORGE_AUTH_JWT_SECRET")
					.doesNotContain("Tomcat started");
			assertThat(temp.resolve("data").resolve("secrets").resolve("jwt.key")).doesNotExist();
		}
		finally {
			ChildProcesses.killTree(process);
		}
	}
}
