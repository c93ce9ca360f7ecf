package dev.videoforge.catalog.internal;

import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.shared.OnRole;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a poster upload whose declared length is over the image limit before any of it is read:
 * the servlet container would otherwise spool a multipart body up to the (video) upload limit to
 * disk before {@link Posters} could say 413. A body without a length is still counted there.
 */
@Configuration(proxyBeanMethods = false)
@OnRole("gallery")
class PosterUploadLimit {

	private static final Pattern THUMBNAIL = Pattern.compile("/api/gallery/videos/[^/]+/thumbnail/?");

	/** Room for the multipart boundaries and part headers around the image. */
	private static final long ENVELOPE = 64 * 1024;

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> posterUploadLimitFilter(CatalogSettings settings) {
		long limit = settings.posterMaxImageSize().toBytes() + ENVELOPE;
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				return !"POST".equals(request.getMethod()) || !THUMBNAIL.matcher(request.getRequestURI()).matches();
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (request.getContentLengthLong() > limit) {
					response.setStatus(413);
					response.setContentType("application/json");
					response.getWriter().write("{\"error\":\"too_large\",\"message\":\"a poster image is at most "
							+ settings.posterMaxImageSize().toMegabytes() + " MB\"}");
					return;
				}
				chain.doFilter(request, response);
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}
}
