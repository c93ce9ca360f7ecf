package dev.videoforge.catalog.internal;

import dev.videoforge.catalog.CaptionSettings;
import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.shared.ErrorBody;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a poster image or caption file upload whose declared length is over its own limit before
 * any of it is read: the servlet container would otherwise spool a multipart body up to the
 * (video) upload limit to disk before {@code Posters} or {@code Captions} could say 413. A body
 * without a length is still counted there.
 */
@Configuration(proxyBeanMethods = false)
@OnRole(Role.GALLERY)
class SmallUploadLimits {

	/** Room for the multipart boundaries, part headers and the other fields around the file. */
	private static final long ENVELOPE = 64 * 1024;

	private record Limit(Pattern path, long bytes, String error, String message) {
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> smallUploadLimitsFilter(CatalogSettings catalog, CaptionSettings captions) {
		List<Limit> limits = List.of(
				new Limit(Pattern.compile("/api/gallery/videos/[^/]+/thumbnail/?"), catalog.posterMaxImageSize().toBytes(),
						"too_large", "a poster image is at most " + catalog.posterMaxImageSize().toMegabytes() + " MB"),
				new Limit(Pattern.compile("/api/gallery/videos/[^/]+/captions/?"), captions.maxBytes().toBytes(),
						"caption_too_large", "a caption file has at most " + captions.maxBytes().toBytes() + " bytes"));
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				return !"POST".equals(request.getMethod());
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				for (Limit limit : limits) {
					if (limit.path().matcher(request.getRequestURI()).matches()
							&& request.getContentLengthLong() > limit.bytes() + ENVELOPE) {
						ErrorBody.write(response, 413, limit.error(), limit.message());
						return;
					}
				}
				chain.doFilter(request, response);
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}
}
