package dev.videoforge.media;

import dev.videoforge.shared.ApiException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/** Every probe slot stayed busy for the whole wait: the caller is told to come back (503). */
public class ProbeBusyException extends ApiException {
	public ProbeBusyException(Duration waited) {
		super(HttpStatus.SERVICE_UNAVAILABLE, "busy", "the server is inspecting other uploads; try again shortly",
				Math.max(1, waited.toSeconds() / 3));
	}
}
