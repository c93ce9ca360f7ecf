package dev.videoforge.web;

import java.net.URI;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Page and embedding settings ({@code videoforge.web.*}).
 *
 * @param publicBaseUrl the address people reach this site at ({@code https://videos.example.com}),
 *        used in oEmbed answers and discovery links; when unset, the address each request came to
 *        (its scheme and {@code Host}), which is wrong behind a proxy that terminates TLS
 * @param embedFrameAncestors who may frame the embed page: the CSP {@code frame-ancestors} sources,
 *        space-separated ({@code *}, {@code 'self'}, {@code 'none'}, {@code https:},
 *        {@code https://*.example.com}); every other page may be framed by this site only
 * @param providerName the {@code provider_name} of oEmbed answers
 * @param embedWidth width of the box an oEmbed iframe is fitted into when the consumer sends no
 *        {@code maxwidth}
 * @param embedHeight height of that box when the consumer sends no {@code maxheight}
 */
@ConfigurationProperties("videoforge.web")
public record WebSettings(URI publicBaseUrl, @DefaultValue("*") String embedFrameAncestors,
		@DefaultValue("VideoForge") String providerName, @DefaultValue("640") int embedWidth,
		@DefaultValue("360") int embedHeight) {

	/**
	 * One CSP source expression (CSP 3, "source-list"): a keyword, a scheme ({@code https:}) or a
	 * host with optional scheme, {@code *.} wildcard, port and path. No quotes but the keywords, no
	 * {@code ;} or {@code ,}: a value cannot end the directive and smuggle in another.
	 */
	private static final Pattern SOURCE = Pattern.compile("\\*|'self'|[a-zA-Z][a-zA-Z0-9+.-]*:"
			+ "|([a-zA-Z][a-zA-Z0-9+.-]*://)?(\\*|(\\*\\.)?[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*)(:(\\d{1,5}|\\*))?(/[A-Za-z0-9._~%/-]*)?");

	public WebSettings {
		if (publicBaseUrl != null) {
			String scheme = publicBaseUrl.getScheme();
			if (!("http".equals(scheme) || "https".equals(scheme)) || publicBaseUrl.getRawAuthority() == null
					|| publicBaseUrl.getRawUserInfo() != null || publicBaseUrl.getRawQuery() != null
					|| publicBaseUrl.getRawFragment() != null) {
				throw new IllegalArgumentException("videoforge.web.public-base-url must be an http(s) address such as "
						+ "https://videos.example.com (no user, query or fragment), not " + publicBaseUrl);
			}
		}
		embedFrameAncestors = embedFrameAncestors == null ? "" : embedFrameAncestors.strip();
		String[] sources = embedFrameAncestors.split("\\s+");
		boolean none = embedFrameAncestors.equals("'none'");
		for (String source : sources) {
			if (!none && !SOURCE.matcher(source).matches()) {
				throw new IllegalArgumentException("videoforge.web.embed-frame-ancestors: '" + source + "' is not a CSP "
						+ "source (use space-separated sources such as * or 'self' https://blog.example.com, or 'none' alone)");
			}
		}
		if (providerName == null || providerName.isBlank()) {
			throw new IllegalArgumentException("videoforge.web.provider-name must not be empty");
		}
		if (embedWidth < 1 || embedHeight < 1) {
			throw new IllegalArgumentException("videoforge.web.embed-width and embed-height must be at least 1");
		}
	}

	/** The public base URL without a trailing slash, or null when requests tell it. */
	public String baseUrl() {
		if (publicBaseUrl == null) {
			return null;
		}
		String url = publicBaseUrl.toString();
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
