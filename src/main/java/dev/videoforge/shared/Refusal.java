package dev.videoforge.shared;

/**
 * A refusal the caller can act on, said in the domain's words: what kind of refusal (not found,
 * invalid, over a limit, ...), a stable {@link #code()} and a message for people. No HTTP here:
 * {@link ApiExceptionHandler} maps each kind to its status once, at the web edge, as API.md's error
 * JSON {@code {"error": code, "message": message}}.
 */
public abstract class Refusal extends RuntimeException {

	private final String code;
	private final Long retryAfterSeconds;

	protected Refusal(String code, String message, Long retryAfterSeconds) {
		super(message);
		this.code = code;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/** The stable, machine-readable reason (API.md's {@code error}). */
	public String code() {
		return code;
	}

	/** When trying again makes sense, in seconds; null when it does not say. */
	public Long retryAfterSeconds() {
		return retryAfterSeconds;
	}

	/** {@code what} does not exist, or the caller may not know it does. */
	public static NotFound notFound(String what) {
		return new NotFound("not_found", what + " was not found");
	}

	/** Something the caller may not know of does not exist, or is hidden from them. */
	public static class NotFound extends Refusal {
		public NotFound(String code, String message) {
			super(code, message, null);
		}
	}

	/** The request itself is wrong: a value out of range, a malformed field. */
	public static class Invalid extends Refusal {
		public Invalid(String code, String message) {
			super(code, message, null);
		}
	}

	/** Who is calling is not known, or their credentials or code are wrong. */
	public static class Unauthenticated extends Refusal {
		public Unauthenticated(String code, String message) {
			super(code, message, null);
		}

		public Unauthenticated(String code, String message, Long retryAfterSeconds) {
			super(code, message, retryAfterSeconds);
		}
	}

	/** The caller is known and may not do this. */
	public static class Forbidden extends Refusal {
		public Forbidden(String code, String message) {
			super(code, message, null);
		}
	}

	/** The thing is not in a state that allows this (not READY yet, already done, taken). */
	public static class Conflict extends Refusal {
		public Conflict(String code, String message) {
			super(code, message, null);
		}
	}

	/** More bytes than a limit allows. */
	public static class TooLarge extends Refusal {
		public TooLarge(String code, String message) {
			super(code, message, null);
		}
	}

	/** The file is not of a kind this accepts (not media, not an image, not captions). */
	public static class UnsupportedType extends Refusal {
		public UnsupportedType(String code, String message) {
			super(code, message, null);
		}
	}

	/** Understood and well-formed, and still refused: a quota, media outside the limits. */
	public static class Unacceptable extends Refusal {
		public Unacceptable(String code, String message) {
			super(code, message, null);
		}
	}

	/** Too many attempts or requests; {@link #retryAfterSeconds()} says when to come back. */
	public static class RateLimited extends Refusal {
		public RateLimited(String code, String message, Long retryAfterSeconds) {
			super(code, message, retryAfterSeconds);
		}
	}

	/** The bytes sent do not match the checksum sent with them. */
	public static class ChecksumMismatch extends Refusal {
		public ChecksumMismatch(String code, String message) {
			super(code, message, null);
		}
	}

	/** Something this depends on (storage, the database, a probe slot) is busy or down: try again. */
	public static class Unavailable extends Refusal {
		public Unavailable(String code, String message) {
			super(code, message, null);
		}

		public Unavailable(String code, String message, Long retryAfterSeconds) {
			super(code, message, retryAfterSeconds);
		}
	}
}
