package dev.videoforge.shared;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The pages' Content-Security-Policy and Referrer-Policy. Pages load scripts and styles only from
 * this site (hls.js, tus-js-client and Uppy are served from {@code /vendor}), have no inline script or
 * style, and talk only to this site and the CDN that serves the streams; so a script an attacker
 * slips into a title or a description cannot run, and could not send anything anywhere if it did.
 * {@code Referrer-Policy: same-origin}: the address of a page (an UNLISTED video's watch page) is
 * never sent to another site. The embed page ({@code /embed/...}) may be framed by the sources of
 * {@code videoforge.web.embed-frame-ancestors} (validated by the web module's {@code WebSettings};
 * read here by name, since this shared kernel cannot depend on the web module).
 */
@Configuration(proxyBeanMethods = false)
class PageSecurityHeaders {

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> pageSecurityHeadersFilter(
			@Value("${videoforge.streaming.signing.cdn-base-url:}") String cdnBaseUrl,
			@Value("${videoforge.web.embed-frame-ancestors:*}") String embedFrameAncestors,
			@Value("${videoforge.streaming.delivery:proxy}") String delivery,
			@Value("${videoforge.storage.type:local}") String storage,
			@Value("${videoforge.storage.s3.public-endpoint:}") String s3PublicEndpoint,
			@Value("${videoforge.storage.s3.endpoint:}") String s3Endpoint,
			@Value("${videoforge.upload.direct:true}") boolean directUploads) {
		String embedAncestors = "frame-ancestors " + String.join(" ", embedFrameAncestors.strip().split("\\s+"));
		// The store's origins when it is S3: the player fetches from it (delivery by redirect), the
		// upload page sends parts to it (direct uploads).
		String store = redirectOrigins("redirect", storage, s3PublicEndpoint, s3Endpoint);
		String delivered = redirectOrigins(delivery, storage, s3PublicEndpoint, s3Endpoint);
		String extra = (cdnOrigin(cdnBaseUrl) + " " + delivered).strip();
		String uploads = directUploads && delivered.isEmpty() ? store : "";
		String policy = policy(extra, uploads);
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				String path = request.getRequestURI();
				return path.startsWith("/api/") || path.startsWith("/actuator/");
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				boolean embed = request.getRequestURI().startsWith("/embed/");
				// The embed page is made for other sites' iframes; every other page is framed by this site only.
				response.setHeader("Content-Security-Policy", policy + (embed ? embedAncestors : "frame-ancestors 'self'"));
				response.setHeader("Referrer-Policy", "same-origin");
				chain.doFilter(request, response);
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/**
	 * Scripts, styles and fonts from this site only; media, pictures and requests also to the
	 * CDN; {@code blob:} for hls.js (its media source and its worker) and {@code data:} for the
	 * MFA QR code. Media from {@code data:} too: hls.js gives each caption track it makes a
	 * {@code <track src="data:,WEBVTT">} (an empty file, so that Chrome's and Safari's own caption
	 * handling leave its cues alone); media cannot run script.
	 */
	static String policy(String cdn) {
		return policy(cdn, "");
	}

	/**
	 * As {@link #policy(String)}, with {@code uploads} (the store direct uploads send parts to) also
	 * allowed for requests.
	 */
	static String policy(String cdn, String uploads) {
		String extra = cdn.isEmpty() ? "" : " " + cdn;
		String connect = extra + (uploads.isEmpty() ? "" : " " + uploads);
		return "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data: blob:" + extra
				+ "; media-src 'self' blob: data:" + extra + "; connect-src 'self'" + connect + "; worker-src 'self' blob:"
				+ "; object-src 'none'; base-uri 'none'; form-action 'self'; ";
	}

	/**
	 * Where delivery by redirect sends the player (read by name, as above): the S3 endpoint the
	 * presigned URLs name, with its bucket subdomains (virtual-hosted addressing), or AWS's.
	 */
	static String redirectOrigins(String delivery, String storage, String publicEndpoint, String endpoint) {
		if (!delivery.strip().equalsIgnoreCase("redirect") || !storage.strip().equalsIgnoreCase("s3")) {
			return "";
		}
		String base = !publicEndpoint.isBlank() ? publicEndpoint : endpoint;
		if (base.isBlank()) {
			return "https://*.amazonaws.com";
		}
		URI uri = URI.create(base.strip());
		return uri.getScheme() + "://" + uri.getRawAuthority() + " " + uri.getScheme() + "://*." + uri.getRawAuthority();
	}

	private static String cdnOrigin(String cdnBaseUrl) {
		if (cdnBaseUrl == null || cdnBaseUrl.isBlank()) {
			return "";
		}
		URI uri = URI.create(cdnBaseUrl.strip());
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}
}
