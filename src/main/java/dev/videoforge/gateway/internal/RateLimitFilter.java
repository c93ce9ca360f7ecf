package dev.videoforge.gateway.internal;

import dev.videoforge.limits.RateLimitSettings;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.shared.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-address limits at the edge (gateway role only), before authentication: strict on login, MFA and registration,
 * generous on the rest of the API and on streaming. Refusals are 429 with {@code Retry-After}.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final RateLimiter limiter;
	private final RateLimitSettings settings;

	RateLimitFilter(RateLimiter limiter) {
		this.limiter = limiter;
		this.settings = limiter.settings();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !settings.enabled() || !path(request).startsWith("/api/");
	}

	/**
	 * The path as the application routes it: decoded by the container ({@code /api/auth/%6Cogin}
	 * is the login) and without a trailing slash, so no spelling of a route escapes its bucket.
	 */
	static String path(HttpServletRequest request) {
		String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
		while (path.length() > 1 && path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		return path;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String client = limiter.clientAddress(request);
		String path = path(request);
		boolean post = "POST".equals(request.getMethod());
		if (post && path.startsWith("/api/auth/")) {
			long max = settings.maxAuthBody().toBytes();
			if (request.getContentLengthLong() > max) {
				refuse(response, 413, "payload_too_large", "this request's body has at most " + max + " bytes");
				return;
			}
			// Sent without a length (chunked): read no further than the limit either.
			request = new BoundedBody(request, max);
		}
		long wait;
		if (post && path.equals("/api/auth/login")) {
			wait = limiter.tryConsume("login", client, settings.loginPerMinute(), Duration.ofMinutes(1));
		}
		else if (post && path.equals("/api/auth/mfa/verify")) {
			wait = limiter.tryConsume("mfa", client, settings.mfaPerMinute(), Duration.ofMinutes(1));
		}
		else if (post && path.equals("/api/auth/register")) {
			wait = limiter.tryConsume("register", client, settings.registerPerHour(), Duration.ofHours(1));
		}
		else if (path.startsWith("/api/stream/")) {
			wait = limiter.tryConsume("stream", client, settings.streamPerMinute(), Duration.ofMinutes(1));
		}
		else {
			wait = limiter.tryConsume("api", client, settings.apiPerMinute(), Duration.ofMinutes(1));
		}
		if (wait > 0) {
			response.setHeader("Retry-After", String.valueOf(wait));
			refuse(response, 429, "rate_limited", "too many requests; try again in " + wait + " s");
			return;
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
		ErrorBody.write(response, status, code, message);
	}

	/** A request whose body ends with an error past {@code max} bytes. */
	private static final class BoundedBody extends HttpServletRequestWrapper {

		private final long max;

		BoundedBody(HttpServletRequest request, long max) {
			super(request);
			this.max = max;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {
				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0 && ++read > max) {
						throw new IOException("request body over " + max + " bytes");
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0 && (read += n) > max) {
						throw new IOException("request body over " + max + " bytes");
					}
					return n;
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}
			};
		}
	}
}
