package dev.videoforge.shared;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps every exception that reaches the web edge to API.md's error JSON, once.
 * Anything unexpected is logged and answered 500 (a bug by the contract's definition).
 */
@RestControllerAdvice
public class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(Refusal.class)
	ResponseEntity<ErrorBody> refused(Refusal e) {
		var builder = ResponseEntity.status(statusOf(e)).contentType(MediaType.APPLICATION_JSON);
		if (e.retryAfterSeconds() != null) {
			builder.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
		}
		return builder.body(new ErrorBody(e.code(), e.getMessage()));
	}

	/** The one place a kind of refusal becomes an HTTP status (API.md's table of errors). */
	public static HttpStatusCode statusOf(Refusal refusal) {
		return switch (refusal) {
			case Refusal.Invalid r -> HttpStatus.BAD_REQUEST;
			case Refusal.Unauthenticated r -> HttpStatus.UNAUTHORIZED;
			case Refusal.Forbidden r -> HttpStatus.FORBIDDEN;
			case Refusal.NotFound r -> HttpStatus.NOT_FOUND;
			case Refusal.Conflict r -> HttpStatus.CONFLICT;
			case Refusal.TooLarge r -> HttpStatus.CONTENT_TOO_LARGE;
			case Refusal.UnsupportedType r -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case Refusal.Unacceptable r -> HttpStatus.UNPROCESSABLE_CONTENT;
			case Refusal.RateLimited r -> HttpStatus.TOO_MANY_REQUESTS;
			// tus's checksum extension: "460 Checksum Mismatch".
			case Refusal.ChecksumMismatch r -> HttpStatusCode.valueOf(460);
			case Refusal.Unavailable r -> HttpStatus.SERVICE_UNAVAILABLE;
			default -> throw new IllegalStateException("a refusal of no known kind: " + refusal.getClass());
		};
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<ErrorBody> invalid(MethodArgumentNotValidException e) {
		var field = e.getBindingResult().getFieldErrors().stream().findFirst();
		String message = field.map(f -> f.getField() + " " + f.getDefaultMessage()).orElse("invalid request");
		return error(HttpStatus.BAD_REQUEST, "invalid_request", message);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
		return error(HttpStatus.BAD_REQUEST, "malformed_body", "the request body is not valid JSON of the expected shape");
	}

	@ExceptionHandler({ MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class })
	ResponseEntity<ErrorBody> badParameter(Exception e) {
		return error(HttpStatus.BAD_REQUEST, "invalid_parameter", e.getMessage());
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_content_type", e.getMessage());
	}

	@ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
	ResponseEntity<ErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e) {
		return error(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", e.getMessage());
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e) {
		return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ErrorBody> noResource(NoResourceFoundException e) {
		return error(HttpStatus.NOT_FOUND, "not_found", "no such resource");
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	ResponseEntity<ErrorBody> tooLarge(MaxUploadSizeExceededException e) {
		return error(HttpStatus.CONTENT_TOO_LARGE, "too_large", "the upload is larger than the configured maximum");
	}

	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ErrorBody> multipart(MultipartException e) {
		return error(HttpStatus.BAD_REQUEST, "malformed_multipart", "the multipart body could not be read: " + e.getMessage());
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<ErrorBody> databaseDown(Exception e, HttpServletRequest request) {
		log.warn("database unavailable during {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ErrorBody("unavailable", "the database is not answering; try again shortly"));
	}

	@ExceptionHandler({ AsyncRequestNotUsableException.class, ClientAbortException.class })
	void clientGone() {
		// The client went away mid-response (a player seeking): nothing to answer.
	}

	/** A cloud dependency (SQS, S3) that does not answer is a dependency down, like the database. */
	@ExceptionHandler(SdkException.class)
	ResponseEntity<ErrorBody> cloudDown(SdkException e, HttpServletRequest request) {
		log.warn("cloud service unavailable during {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ErrorBody("unavailable", "a storage or queue service is not answering; try again shortly"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ErrorBody> unexpected(Exception e, HttpServletRequest request) {
		log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "an unexpected error happened; it has been logged");
	}

	static ResponseEntity<ErrorBody> error(HttpStatusCode status, String code, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(code, message));
	}
}
