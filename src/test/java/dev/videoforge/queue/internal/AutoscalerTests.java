package dev.videoforge.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutoscalerTests {

	private static final long S = 1_000_000_000L;

	@Test
	void growsAtOnceWithTheBacklogUpToTheMaximum() {
		Autoscaler scaler = new Autoscaler(1, 4, Duration.ofSeconds(30), 0);
		assertThat(scaler.update(0, 0, 1 * S)).isEqualTo(1);
		assertThat(scaler.update(2, 1, 2 * S)).isEqualTo(3);
		assertThat(scaler.update(50, 3, 3 * S)).isEqualTo(4);
	}

	@Test
	void shrinksOneStepAtATimeAfterTheCooldown() {
		Autoscaler scaler = new Autoscaler(1, 4, Duration.ofSeconds(30), 0);
		scaler.update(10, 0, 0);
		assertThat(scaler.update(0, 1, 10 * S)).as("within the cooldown").isEqualTo(4);
		assertThat(scaler.update(0, 1, 31 * S)).isEqualTo(3);
		assertThat(scaler.update(0, 1, 40 * S)).as("cooldown again after a step").isEqualTo(3);
		assertThat(scaler.update(0, 1, 62 * S)).isEqualTo(2);
		assertThat(scaler.update(0, 0, 93 * S)).isEqualTo(1);
		assertThat(scaler.update(0, 0, 200 * S)).as("never below the minimum").isEqualTo(1);
	}

	@Test
	void aBacklogThatStillFitsRestartsTheCooldown() {
		Autoscaler scaler = new Autoscaler(1, 4, Duration.ofSeconds(30), 0);
		scaler.update(1, 1, 0);
		assertThat(scaler.update(1, 1, 25 * S)).isEqualTo(2);
		assertThat(scaler.update(0, 1, 40 * S)).as("30 s since the backlog last needed two").isEqualTo(2);
		assertThat(scaler.update(0, 1, 56 * S)).isEqualTo(1);
	}
}
