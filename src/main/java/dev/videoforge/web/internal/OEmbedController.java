package dev.videoforge.web.internal;

import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.streaming.SigningSettings;
import dev.videoforge.web.WebSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * oEmbed 1.0 (https://oembed.com) for this site's watch and embed links: {@code type "video"}
 * with the iframe of the embed page. Served by the role that serves the pages (gateway), which
 * reads the catalog like any other.
 *
 * <p>Where this departs from the spec, and why: a {@code format} other than {@code json} or
 * {@code xml} is 400 {@code unsupported_format}, not the spec's 501 (2.3.3: "The provider cannot
 * return a response in the requested format"), because on this site every 5xx but 503 means a bug
 * (API.md), and alerting is built on that. A PRIVATE video, an unknown one, one not READY yet and
 * a link that is not one of ours all get the same 404 (2.3.3: "The provider has no response for the
 * requested url parameter"), so nothing tells them apart.
 */
@RestController
@OnRole(Role.GATEWAY)
class OEmbedController {

	static final MediaType XML = MediaType.parseMediaType("text/xml;charset=utf-8");

	private final VideoCatalog catalog;
	private final WebSettings settings;
	private final PlaybackUrls urls;
	private final ThumbnailSizes thumbnails;
	private final SigningSettings signing;

	OEmbedController(VideoCatalog catalog, WebSettings settings, PlaybackUrls urls, ThumbnailSizes thumbnails,
			SigningSettings signing) {
		this.catalog = catalog;
		this.settings = settings;
		this.urls = urls;
		this.thumbnails = thumbnails;
		this.signing = signing;
	}

	@GetMapping("/api/oembed")
	ResponseEntity<?> oembed(@RequestParam(required = false) String url, @RequestParam(required = false) String format,
			@RequestParam(required = false) String maxwidth, @RequestParam(required = false) String maxheight,
			HttpServletRequest request) {
		boolean xml = switch (format == null ? "json" : format) {
			case "json" -> false;
			case "xml" -> true;
			default -> throw new Refusal.Invalid("unsupported_format", "format is json (the default) or xml");
		};
		int boxWidth = Math.min(settings.embedWidth(), limit("maxwidth", maxwidth));
		int boxHeight = Math.min(settings.embedHeight(), limit("maxheight", maxheight));
		if (url == null || url.isBlank()) {
			throw new Refusal.Invalid("missing_parameter", "url is needed: the address of a watch or embed page of this site");
		}
		String base = SiteLinks.base(settings, request);
		SiteLinks.Target target = SiteLinks.parse(url, base, SiteLinks.requestBase(request))
				.orElseThrow(() -> Refusal.notFound("video"));
		Video video = WebConfiguration.embeddable(catalog, target.videoId()).orElseThrow(() -> Refusal.notFound("video"));

		OEmbedAnswer.Size size = OEmbedAnswer.fit(video.width(), video.height(), boxWidth, boxHeight);
		String html = OEmbedAnswer.iframe(SiteLinks.embedUrl(base, video.id(), target.startSeconds()), size, video.title());
		String thumbnailUrl = null;
		OEmbedAnswer.Size thumbnail = null;
		var poster = thumbnails.of(video);
		if (poster.isPresent()) {
			thumbnailUrl = absolute(base, urls.url(video, video.posterFile()));
			thumbnail = new OEmbedAnswer.Size(poster.get().width(), poster.get().height());
		}
		// An UNLISTED video's thumbnail link is signed and expires: consumers must not keep the answer longer.
		Long cacheAge = video.visibility() == Visibility.UNLISTED && thumbnailUrl != null ? signing.ttl().toSeconds() / 2 : null;
		Map<String, Object> answer = OEmbedAnswer.of(video.title(), video.ownerUsername(), settings.providerName(),
				base + "/", cacheAge, thumbnailUrl, thumbnail, html, size);
		if (xml) {
			return ResponseEntity.ok().contentType(XML).body(OEmbedAnswer.xml(answer));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
	}

	/** {@code maxwidth}/{@code maxheight}: a positive whole number of pixels, or no limit. */
	private static int limit(String name, String value) {
		if (value == null || value.isBlank()) {
			return Integer.MAX_VALUE;
		}
		if (!value.matches("\\d{1,6}") || Integer.parseInt(value) < 1) {
			throw new Refusal.Invalid("invalid_parameter", name + " is a whole number of pixels, at least 1");
		}
		return Integer.parseInt(value);
	}

	private static String absolute(String base, String url) {
		return url.startsWith("/") ? base + url : url;
	}
}
