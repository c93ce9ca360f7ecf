package dev.videoforge.media;

import dev.videoforge.shared.Refusal;
import java.time.Duration;

/** Every probe slot stayed busy for the whole wait: the caller is told to come back. */
public class ProbeBusyException extends Refusal.Unavailable {
	public ProbeBusyException(Duration waited) {
		super("busy", "the server is inspecting other uploads; try again shortly", Math.max(1, waited.toSeconds() / 3));
	}
}
