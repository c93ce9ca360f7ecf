package dev.videoforge.web.internal;

import static dev.videoforge.web.internal.OEmbedAnswer.escape;

import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.Visibility;
import dev.videoforge.web.WebSettings;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The watch and embed pages. The embed page is the watch page itself ({@code static/watch.html}
 * with {@code <body data-page="embed">}): the same player markup and {@code watch.js}, so the
 * controls others add to the player are in the embed too, never a copy that falls behind; the
 * stylesheet hides everything but the player in that mode. The watch page gets, in its {@code <head>}, what crawlers and link previews read without running
 * scripts: the oEmbed discovery links (oembed.com, 4 "Discovery"), the title, and for PUBLIC
 * videos OpenGraph. Only for a video anyone may embed (PUBLIC or UNLISTED, READY): a PRIVATE or
 * unknown id gets the page as it is, so its HTML says nothing about whether the video exists.
 * The embed page of a video nobody may embed is a static "not available" page with 404.
 */
@Controller
@Hidden // pages, not API: /api/docs describes the API
class PageController {

	private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");
	private static final String HEAD_END = "</head>";
	private static final String TITLE = "<title>Watch · VideoForge</title>";
	private static final String WATCH_BODY = "<body data-page=\"watch\">";

	private final VideoCatalog catalog;
	private final WebSettings settings;
	private final PlaybackUrls urls;
	private final String watchPage;
	private final String embedPage;
	private final String unavailablePage;

	PageController(VideoCatalog catalog, WebSettings settings, PlaybackUrls urls) {
		this.catalog = catalog;
		this.settings = settings;
		this.urls = urls;
		this.watchPage = page("static/watch.html");
		this.unavailablePage = page("static/embed-unavailable.html");
		if (!watchPage.contains(HEAD_END) || !watchPage.contains(WATCH_BODY)) {
			throw new IllegalStateException("static/watch.html needs its </head> (the discovery links go before it) and "
					+ WATCH_BODY + " (the embed page is the same page in embed mode)");
		}
		this.embedPage = watchPage.replace(WATCH_BODY, "<body data-page=\"embed\">");
	}

	@GetMapping("/watch/{id}")
	ResponseEntity<String> watch(@PathVariable String id, HttpServletRequest request) {
		Optional<Video> video = WebConfiguration.embeddable(catalog, id);
		String html = video.map(v -> withHead(v, SiteLinks.base(settings, request))).orElse(watchPage);
		return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noStore()).body(html);
	}

	@GetMapping("/embed/{id}")
	ResponseEntity<String> embed(@PathVariable String id) {
		// Not READY yet is still a page: the player says it is processing and follows it.
		boolean available = catalog.find(id).filter(v -> v.visibility() != Visibility.PRIVATE).isPresent();
		return ResponseEntity.status(available ? HttpStatus.OK : HttpStatus.NOT_FOUND).contentType(HTML)
				.cacheControl(CacheControl.noStore()).body(available ? embedPage : unavailablePage);
	}

	/** The watch page with the video's title, discovery links and (PUBLIC only) OpenGraph, every value escaped. */
	private String withHead(Video video, String base) {
		String title = escape(video.title());
		String watchUrl = SiteLinks.watchUrl(base, video.id(), 0);
		String oembed = base + "/api/oembed?url=" + URLEncoder.encode(watchUrl, StandardCharsets.UTF_8) + "&format=";
		StringBuilder head = new StringBuilder();
		head.append("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"").append(escape(oembed + "json"))
				.append("\" title=\"").append(title).append("\">\n");
		head.append("<link rel=\"alternate\" type=\"text/xml+oembed\" href=\"").append(escape(oembed + "xml"))
				.append("\" title=\"").append(title).append("\">\n");
		if (video.visibility() == Visibility.PUBLIC) {
			// OpenGraph (ogp.me) for link previews; UNLISTED videos are not advertised beyond oEmbed.
			meta(head, "og:type", "video.other");
			meta(head, "og:title", video.title());
			meta(head, "og:url", watchUrl);
			meta(head, "og:site_name", settings.providerName());
			if (video.hasThumbnail()) {
				String poster = urls.url(video, video.posterFile());
				meta(head, "og:image", poster.startsWith("/") ? base + poster : poster);
			}
		}
		String page = watchPage.replace(TITLE, "<title>" + title + " · " + escape(settings.providerName()) + "</title>");
		int end = page.indexOf(HEAD_END);
		return page.substring(0, end) + head + page.substring(end);
	}

	private static void meta(StringBuilder head, String property, String content) {
		head.append("<meta property=\"").append(property).append("\" content=\"").append(escape(content)).append("\">\n");
	}

	private static String page(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException("the page " + path + " is missing from the build", e);
		}
	}
}
