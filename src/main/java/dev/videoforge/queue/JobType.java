package dev.videoforge.queue;

import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of job: the queue it travels on, its name (written into every payload, so one queue can
 * carry several kinds) and the record its payload is. {@code legacy} reads payloads written
 * before payloads were typed (a bare video id), so jobs queued by an older version still run.
 *
 * @param <P> the payload record
 */
public final class JobType<P extends Record> {

	private final String queue;
	private final String kind;
	private final Class<P> payload;
	private final Function<String, P> legacy;

	private JobType(String queue, String kind, Class<P> payload, Function<String, P> legacy) {
		this.queue = Objects.requireNonNull(queue);
		this.kind = Objects.requireNonNull(kind);
		this.payload = Objects.requireNonNull(payload);
		this.legacy = legacy;
	}

	public static <P extends Record> JobType<P> of(String queue, String kind, Class<P> payload) {
		return new JobType<>(queue, kind, payload, null);
	}

	/** The same type, reading untyped payloads of older versions with {@code legacy}. */
	public JobType<P> readingLegacy(Function<String, P> legacy) {
		return new JobType<>(queue, kind, payload, legacy);
	}

	public String queue() {
		return queue;
	}

	public String kind() {
		return kind;
	}

	public Class<P> payload() {
		return payload;
	}

	Function<String, P> legacy() {
		return legacy;
	}

	@Override
	public String toString() {
		return queue + "/" + kind;
	}
}
