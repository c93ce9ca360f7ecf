package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervision of a real child process: progress, stall, timeout, lost lease, bounded log. */
class FfmpegRunnerIntegrationTests {

	@TempDir
	Path temp;

	private static List<String> script(String bash) {
		return List.of("bash", "-c", bash);
	}

	@Test
	void readsProgressFromFramesAndKeepsTheLog() throws Exception {
		List<Double> seen = new ArrayList<>();
		var result = FfmpegRunner.run(script("for f in 10 20 30; do echo frame=$f; echo progress=continue; sleep 0.1; done; echo 'oops' >&2"),
				temp.resolve("a.log"), 2, 60, seen::add, () -> true, Duration.ofSeconds(5), Duration.ofMinutes(1));
		assertThat(result.succeeded()).isTrue();
		assertThat(seen).containsExactly(10 / 60.0, 20 / 60.0, 30 / 60.0);
		assertThat(Files.readString(temp.resolve("a.log"))).startsWith("$ bash -c").contains("oops");
		assertThat(result.errorLines()).containsExactly("oops");
	}

	@Test
	void killsAProcessThatStopsMakingProgress() throws Exception {
		long started = System.nanoTime();
		var result = FfmpegRunner.run(script("echo frame=1; sleep 60"), temp.resolve("b.log"), 10, 300, f -> {
		}, () -> true, Duration.ofMillis(1500), Duration.ofMinutes(1));
		assertThat(result.succeeded()).isFalse();
		assertThat(result.killedBecause()).contains("no progress");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void killsAProcessThatRunsPastTheTimeout() throws Exception {
		var result = FfmpegRunner.run(script("while true; do echo frame=$RANDOM$RANDOM; sleep 0.2; done"),
				temp.resolve("c.log"), 10, 0, f -> {
				}, () -> true, Duration.ofMinutes(1), Duration.ofSeconds(2));
		assertThat(result.killedBecause()).contains("longer than");
	}

	@Test
	void killsTheProcessWhenTheLeaseIsLost() throws Exception {
		AtomicBoolean lease = new AtomicBoolean(true);
		Thread.ofVirtual().start(() -> {
			try {
				Thread.sleep(800);
			}
			catch (InterruptedException ignored) {
				// test ends anyway
			}
			lease.set(false);
		});
		var result = FfmpegRunner.run(script("sleep 60"), temp.resolve("d.log"), 10, 300, f -> {
		}, lease::get, Duration.ofMinutes(1), Duration.ofMinutes(1));
		assertThat(result.killedBecause()).contains("lease was lost");
	}

	@Test
	void boundsTheLogOfAProcessThatNeverStopsComplaining() throws Exception {
		var result = FfmpegRunner.run(script("yes 'corrupt macroblock at 12 34' | head -c 8000000 >&2"), temp.resolve("e.log"),
				1, 0, f -> {
				}, () -> true, Duration.ofMinutes(1), Duration.ofMinutes(1));
		assertThat(result.exitCode()).isZero();
		assertThat(Files.size(temp.resolve("e.log"))).isLessThan(FfmpegRunner.MAX_LOG_BYTES + 1000);
		assertThat(Files.readString(temp.resolve("e.log"))).endsWith("[log truncated]\n");
	}
}
