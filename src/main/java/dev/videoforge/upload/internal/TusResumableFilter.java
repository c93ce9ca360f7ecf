package dev.videoforge.upload.internal;

import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * tus core: "The Tus-Resumable header MUST be included in every request and response except for
 * OPTIONS requests." and "If the version specified by the Client is not supported by the Server,
 * it MUST respond with the 412 Precondition Failed status and MUST include the Tus-Version header".
 */
@Component
@OnRole(Role.GATEWAY)
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TusResumableFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !(path.equals("/api/uploads") || path.startsWith("/api/uploads/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Tus-Resumable", TusController.VERSION);
		if (!"OPTIONS".equals(request.getMethod())
				&& !TusController.VERSION.equals(request.getHeader("Tus-Resumable"))) {
			response.setHeader("Tus-Version", TusController.VERSION);
			ErrorBody.write(response, HttpServletResponse.SC_PRECONDITION_FAILED, "tus_version_unsupported",
					"send Tus-Resumable: 1.0.0");
			return;
		}
		chain.doFilter(request, response);
	}
}
