package dev.videoforge.shared;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * A refusal the caller can act on. Mapped once, at the web edge, to API.md's error JSON
 * {@code {"error": code, "message": message}} with {@link #status()}.
 */
public class ApiException extends RuntimeException {

	private final HttpStatusCode status;
	private final String code;
	private final Long retryAfterSeconds;

	public ApiException(HttpStatusCode status, String code, String message) {
		this(status, code, message, null);
	}

	public ApiException(HttpStatusCode status, String code, String message, Long retryAfterSeconds) {
		super(message);
		this.status = status;
		this.code = code;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public HttpStatusCode status() {
		return status;
	}

	public String code() {
		return code;
	}

	public Long retryAfterSeconds() {
		return retryAfterSeconds;
	}

	public static ApiException notFound(String what) {
		return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " was not found");
	}

	public static ApiException badRequest(String code, String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, code, message);
	}

	public static ApiException forbidden(String message) {
		return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message);
	}

	public static ApiException conflict(String code, String message) {
		return new ApiException(HttpStatus.CONFLICT, code, message);
	}
}
