package dev.videoforge.gateway.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request carries an {@code X-Request-Id}: the caller's when it is a sane token, else a new
 * one. It is in the response, in every log line written while the request runs ({@code requestId}
 * in the MDC) and in the headers the gateway passes on, so one id follows a request across roles.
 * With {@code dev.videoforge.requests} at DEBUG, each request is logged with its status.
 */
class RequestIdFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("dev.videoforge.requests");
	static final String HEADER = "X-Request-Id";
	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
		response.setHeader(HEADER, id);
		MDC.put("requestId", id);
		try {
			chain.doFilter(id.equals(given) ? request : new WithRequestId(request, id), response);
		}
		finally {
			if (log.isDebugEnabled() && !request.isAsyncStarted()) {
				log.debug("{} {} -> {}", request.getMethod(), request.getRequestURI(), response.getStatus());
			}
			MDC.remove("requestId");
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	/** The request as seen downstream, with our id in place of a missing or unusable one. */
	private static final class WithRequestId extends HttpServletRequestWrapper {
		private final String id;

		WithRequestId(HttpServletRequest request, String id) {
			super(request);
			this.id = id;
		}

		@Override
		public String getHeader(String name) {
			return HEADER.equalsIgnoreCase(name) ? id : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(Set.of(id)) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
			names.removeIf(HEADER::equalsIgnoreCase);
			names.add(HEADER);
			return Collections.enumeration(names);
		}
	}
}
