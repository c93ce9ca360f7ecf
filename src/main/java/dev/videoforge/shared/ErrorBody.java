package dev.videoforge.shared;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of every error response (API.md): {@code {"error": code, "message": text}}. Controllers
 * answer it through {@link Refusal} and {@link ApiExceptionHandler}; code that runs outside
 * Spring MVC (servlet filters, Spring Security's handlers, Tomcat's error report) writes it with
 * {@link #write}, so the JSON is escaped the same way everywhere.
 */
public record ErrorBody(String error, String message) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** This body as JSON. */
	public String json() {
		return JSON.writeValueAsString(this);
	}

	/** Answers {@code status} with this body (the response must not be committed yet). */
	public void write(HttpServletResponse response, int status) throws IOException {
		response.setStatus(status);
		// As Spring MVC answers it: application/json, UTF-8 bytes (JSON's only encoding, RFC 8259).
		response.setContentType("application/json");
		response.getOutputStream().write(json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Answers {@code status} with the error body of {@code code} and {@code message}. */
	public static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
		new ErrorBody(code, message).write(response, status);
	}
}
