package dev.videoforge.web.internal;

import dev.videoforge.web.WebSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * This site's own addresses: the base URL pages and oEmbed answers link to, and the reading of a
 * watch or embed link someone hands to oEmbed. Only links to this site count (the configured
 * public base URL, or the address the request came to), only {@code /watch/{id}} and
 * {@code /embed/{id}}, with no user info; anything else is "not ours" and oEmbed answers 404, as
 * the spec asks for a URL the provider has no response for.
 */
final class SiteLinks {

	/** A link's video and start time (0 for none). */
	record Target(String videoId, long startSeconds) {
	}

	private static final Pattern PAGE = Pattern.compile("/(?:watch|embed)/([A-Za-z0-9_-]{1,64})/?");

	private SiteLinks() {
	}

	/** The public base URL (no trailing slash): the setting, or the request's own scheme and host. */
	static String base(WebSettings settings, HttpServletRequest request) {
		String configured = settings.baseUrl();
		return configured != null ? configured : requestBase(request);
	}

	/** {@code scheme://host[:port]} of the request (its {@code Host} header), as Tomcat read it. */
	static String requestBase(HttpServletRequest request) {
		return UriComponentsBuilder.newInstance().scheme(request.getScheme()).host(request.getServerName())
				.port(defaultPort(request.getScheme()) == request.getServerPort() ? -1 : request.getServerPort())
				.build().toUriString();
	}

	/** The watch page's address, with {@code ?t=} when it starts later. */
	static String watchUrl(String base, String videoId, long startSeconds) {
		return base + "/watch/" + videoId + (startSeconds > 0 ? "?t=" + startSeconds : "");
	}

	/** The embed page's address, with {@code ?t=} when it starts later. */
	static String embedUrl(String base, String videoId, long startSeconds) {
		return base + "/embed/" + videoId + (startSeconds > 0 ? "?t=" + startSeconds : "");
	}

	/** The video a link names, when it is a watch or embed link of one of {@code bases}. */
	static Optional<Target> parse(String url, String... bases) {
		if (url == null || url.length() > 2048) {
			return Optional.empty();
		}
		URI uri;
		try {
			uri = new URI(url.strip());
		}
		catch (URISyntaxException e) {
			return Optional.empty();
		}
		if (!uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getHost() == null || uri.getRawPath() == null) {
			return Optional.empty();
		}
		String origin = origin(uri);
		boolean ours = false;
		for (String base : bases) {
			try {
				ours |= base != null && origin != null && origin.equals(origin(new URI(base)));
			}
			catch (URISyntaxException e) {
				// a request whose Host makes no URL is not a site anything links to
			}
		}
		Matcher page = PAGE.matcher(uri.getRawPath());
		if (!ours || !page.matches()) {
			return Optional.empty();
		}
		return Optional.of(new Target(page.group(1), start(uri.getRawQuery())));
	}

	private static long start(String rawQuery) {
		if (rawQuery == null) {
			return 0;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.startsWith("t=")) {
				try {
					OptionalLong t = StartTime.parse(URLDecoder.decode(pair.substring(2), StandardCharsets.UTF_8));
					return t.orElse(0);
				}
				catch (IllegalArgumentException e) {
					return 0; // a broken %-escape: no start time, as for any other t that is not a time
				}
			}
		}
		return 0;
	}

	/** {@code scheme://host:port} with the default port spelled out, lower case; null unless http(s). */
	private static String origin(URI uri) {
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
			return null;
		}
		int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
	}

	private static int defaultPort(String scheme) {
		return "https".equalsIgnoreCase(scheme) ? 443 : 80;
	}
}
