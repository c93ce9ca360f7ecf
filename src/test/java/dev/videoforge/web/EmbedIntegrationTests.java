package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.context.TestPropertySource;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;

/**
 * Embedding as another site and a crawler see it: oEmbed answers (JSON and XML) for PUBLIC and
 * UNLISTED videos and nothing for the rest, the discovery links and OpenGraph in the watch page's
 * HTML, the embed page's framing policy, and a title written to break out of HTML, escaped in
 * every form. This application has a public base URL and framing sources of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "videoforge.web.public-base-url=https://videos.example.com",
		"videoforge.web.embed-frame-ancestors='self' https://blog.example.com", "videoforge.web.provider-name=Forge Test" })
class EmbedIntegrationTests extends AppIntegrationTest {

	private static final String SITE = "https://videos.example.com";
	private static final String HOSTILE = "Pier \"><script>alert(1)</script> & <b>'sun'</b> ";

	private ApiClient owner;
	private String ownerName;
	private String publicId;
	private String unlistedId;
	private String privateId;
	private String publicTitle;
	private final Map<String, JsonNode> videos = new LinkedHashMap<>();

	@BeforeAll
	void uploadVideos() throws Exception {
		owner = newUser("embedder");
		ownerName = ApiClient.json(owner.get("/api/auth/me")).path("username").asString();
		String suffix = Long.toString(System.nanoTime(), 36);
		publicTitle = HOSTILE + suffix;
		publicId = owner.tusUpload(Media.real("av1_1080x720_aac.mp4"), publicTitle, "PUBLIC", 1 << 20).videoId();
		unlistedId = owner.tusUpload(Media.real("hevc_main_854x480_bframes.mp4"), "Unlisted harbour " + suffix, "UNLISTED", 1 << 20)
				.videoId();
		privateId = owner.tusUpload(Media.real("h264_videoonly_noaudio.mp4"), "Private diary " + suffix, "PRIVATE", 1 << 20).videoId();
		for (String id : List.of(publicId, unlistedId, privateId)) {
			JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(3));
			assertThat(video.path("status").asString()).as(id).isEqualTo("READY");
			videos.put(id, video);
		}
		assertThat(videos.get(publicId).path("title").asString()).as("the title is stored as sent").isEqualTo(publicTitle);
	}

	private String local() {
		return "http://127.0.0.1:" + port;
	}

	private HttpResponse<String> oembed(String url, String extra) throws Exception {
		return anonymous().get("/api/oembed?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + extra);
	}

	@Test
	void oembedDescribesPublicAndUnlistedVideosInJsonAndXml() throws Exception {
		for (String id : List.of(publicId, unlistedId)) {
			JsonNode video = videos.get(id);
			// Links at the public address and at the one this request came to, watch and embed, with a start time or not.
			Map<String, String> links = new LinkedHashMap<>();
			links.put(SITE + "/watch/" + id, SITE + "/embed/" + id);
			links.put(local() + "/embed/" + id + "?t=1m30s", SITE + "/embed/" + id + "?t=90");
			links.put(SITE + "/watch/" + id + "?t=75&feature=share#comments", SITE + "/embed/" + id + "?t=75");
			for (var link : links.entrySet()) {
				var json = oembed(link.getKey(), "");
				assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
				assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
				JsonNode answer = ApiClient.json(json);
				assertThat(answer.path("version").asString()).isEqualTo("1.0");
				assertThat(answer.path("type").asString()).isEqualTo("video");
				assertThat(answer.path("title").asString()).isEqualTo(video.path("title").asString());
				assertThat(answer.path("author_name").asString()).isEqualTo(ownerName);
				assertThat(answer.path("provider_name").asString()).isEqualTo("Forge Test");
				assertThat(answer.path("provider_url").asString()).isEqualTo(SITE + "/");
				int width = answer.path("width").asInt();
				int height = answer.path("height").asInt();
				assertFits(video, width, height, 640, 360);

				Element iframe = onlyIframe(answer.path("html").asString());
				assertThat(iframe.attr("src")).isEqualTo(link.getValue());
				assertThat(iframe.attr("width")).isEqualTo(String.valueOf(width));
				assertThat(iframe.attr("height")).isEqualTo(String.valueOf(height));
				assertThat(iframe.attr("frameborder")).isEqualTo("0");
				assertThat(iframe.attr("allow")).isEqualTo("autoplay; fullscreen; picture-in-picture");
				assertThat(iframe.hasAttr("allowfullscreen")).isTrue();
				assertThat(iframe.attr("title")).isEqualTo(video.path("title").asString());

				// The poster: its link opens the picture, whose size is the one given.
				String thumbnail = answer.path("thumbnail_url").asString();
				assertThat(thumbnail).startsWith(SITE + "/api/stream/" + id + "/thumbnail.jpg");
				var picture = anonymous().getBytes(thumbnail.substring(SITE.length()));
				assertThat(picture.statusCode()).isEqualTo(200);
				var image = ImageIO.read(new ByteArrayInputStream(picture.body()));
				assertThat(image.getWidth()).isEqualTo(answer.path("thumbnail_width").asInt());
				assertThat(image.getHeight()).isEqualTo(answer.path("thumbnail_height").asInt());
				if (id.equals(unlistedId)) {
					assertThat(thumbnail).as("an UNLISTED poster is signed").contains("sig=");
					assertThat(answer.path("cache_age").asLong()).as("kept no longer than its signature").isPositive();
				}
				else {
					assertThat(thumbnail).doesNotContain("?");
					assertThat(answer.has("cache_age")).isFalse();
				}

				// The XML form says the same, field by field.
				var xml = oembed(link.getKey(), "&format=xml");
				assertThat(xml.statusCode()).as(xml.body()).isEqualTo(200);
				assertThat(xml.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/xml");
				Map<String, String> fields = xmlFields(xml.body());
				List<String> names = new ArrayList<>();
				answer.propertyNames().forEach(names::add);
				assertThat(fields.keySet()).containsExactlyInAnyOrderElementsOf(names);
				for (String name : names) {
					if (name.equals("thumbnail_url")) {
						// Signed afresh for each answer: its expiry can fall in the next second. The same
						// picture, and a link that opens it.
						String other = fields.get(name);
						assertThat(other.split("\\?")[0]).as(name).isEqualTo(thumbnail.split("\\?")[0]);
						assertThat(anonymous().getBytes(other.substring(SITE.length())).body()).as(name).isEqualTo(picture.body());
						continue;
					}
					assertThat(fields.get(name)).as(name).isEqualTo(answer.path(name).asString());
				}
			}
		}
	}

	@Test
	void maxwidthAndMaxheightAreHonouredKeepingTheShape() throws Exception {
		for (String id : List.of(publicId, unlistedId)) {
			JsonNode video = videos.get(id);
			for (int[] box : new int[][] { { 300, 0 }, { 0, 100 }, { 200, 200 }, { 1000, 150 }, { 5000, 5000 } }) {
				String extra = (box[0] > 0 ? "&maxwidth=" + box[0] : "") + (box[1] > 0 ? "&maxheight=" + box[1] : "");
				JsonNode answer = ApiClient.json(oembed(SITE + "/watch/" + id, extra));
				int width = answer.path("width").asInt();
				int height = answer.path("height").asInt();
				// The configured box (640x360) still applies under larger limits.
				assertFits(video, width, height, Math.min(640, box[0] > 0 ? box[0] : 640), Math.min(360, box[1] > 0 ? box[1] : 360));
				Element iframe = onlyIframe(answer.path("html").asString());
				assertThat(iframe.attr("width")).isEqualTo(String.valueOf(width));
				assertThat(iframe.attr("height")).isEqualTo(String.valueOf(height));
			}
		}
		for (String bad : List.of("0", "-5", "abc", "12.5", "99999999", "1e3")) {
			var answer = oembed(SITE + "/watch/" + publicId, "&maxwidth=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
			assertThat(answer.statusCode()).as("maxwidth=" + bad).isEqualTo(400);
			assertThat(ApiClient.json(answer).path("error").asString()).isEqualTo("invalid_parameter");
		}
	}

	@Test
	void oembedHasNothingForPrivateUnknownForeignOrMalformedLinks() throws Exception {
		var privateAnswer = oembed(SITE + "/watch/" + privateId, "");
		assertThat(privateAnswer.statusCode()).isEqualTo(404);
		String notFound = ApiClient.json(privateAnswer).path("error").asString();
		assertThat(notFound).isNotBlank();
		List<String> links = List.of(local() + "/embed/" + privateId, SITE + "/watch/" + privateId + "?t=5",
				SITE + "/watch/AAAAAAAAAAAAAAAAAAAAAA", SITE + "/embed/zzzz",
				// Not this site: another host, a look-alike host, another port, user info, another scheme.
				"https://evil.example/watch/" + publicId, "https://videos.example.com.evil.example/watch/" + publicId,
				"http://127.0.0.1:" + (port + 1) + "/watch/" + publicId, "http://localhost:" + port + "/watch/" + publicId,
				"https://videos.example.com:8443/watch/" + publicId, "https://evil@videos.example.com/watch/" + publicId,
				"ftp://videos.example.com/watch/" + publicId, "javascript:alert(1)//videos.example.com/watch/" + publicId,
				// Not a watch or embed page, or no link at all.
				SITE + "/api/gallery/videos/" + publicId, SITE + "/watch/" + publicId + "/extra", SITE + "/watch/",
				SITE + "/watch/..%2F" + publicId, SITE + "/watch/" + publicId + "%00", "/watch/" + publicId, "watch/" + publicId,
				"not a link", "https://[::1/watch/" + publicId, "https://videos.example.com:99999/watch/" + publicId,
				SITE + "/" + "x".repeat(3000));
		for (String link : links) {
			for (String format : List.of("", "&format=xml")) {
				var answer = oembed(link, format);
				assertThat(answer.statusCode()).as(link + format).isEqualTo(404);
				assertThat(ApiClient.json(answer).path("error").asString()).as(link).isEqualTo(notFound);
				assertThat(answer.body()).doesNotContain("Private diary");
			}
		}
		var missing = anonymous().get("/api/oembed?format=json");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(ApiClient.json(missing).path("error").asString()).isEqualTo("missing_parameter");
	}

	@Test
	void aFormatOtherThanJsonOrXmlIs400() throws Exception {
		for (String format : List.of("yaml", "JSON", "html", "")) {
			var answer = anonymous().get("/api/oembed?url=" + URLEncoder.encode(SITE + "/watch/" + publicId, StandardCharsets.UTF_8)
					+ "&format=" + format);
			assertThat(answer.statusCode()).as(format).isEqualTo(400);
			assertThat(ApiClient.json(answer).path("error").asString()).isEqualTo("unsupported_format");
		}
	}

	@Test
	void watchPagesCarryDiscoveryLinksForPublicAndUnlistedVideosOnly() throws Exception {
		String unknownPage = anonymous().get("/watch/AAAAAAAAAAAAAAAAAAAAAA").body();
		int scripts = Jsoup.parse(unknownPage).select("script").size();
		assertThat(scripts).isEqualTo(2);
		for (String id : List.of(publicId, unlistedId)) {
			String title = videos.get(id).path("title").asString();
			var response = anonymous().get("/watch/" + id);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
			assertThat(response.body()).doesNotContain("<script>alert(1)");
			Document page = Jsoup.parse(response.body());
			assertThat(page.select("script")).as("no script but the page's own").hasSize(scripts);
			assertThat(page.title()).isEqualTo(title + " · Forge Test");
			String expected = SITE + "/api/oembed?url=" + URLEncoder.encode(SITE + "/watch/" + id, StandardCharsets.UTF_8) + "&format=";
			Elements json = page.select("head link[rel=alternate][type=\"application/json+oembed\"]");
			Elements xml = page.select("head link[rel=alternate][type=\"text/xml+oembed\"]");
			assertThat(json).hasSize(1);
			assertThat(xml).hasSize(1);
			assertThat(json.attr("href")).isEqualTo(expected + "json");
			assertThat(xml.attr("href")).isEqualTo(expected + "xml");
			assertThat(json.attr("title")).isEqualTo(title);
			// What a consumer that found the link gets by following it.
			var discovered = anonymous().get(json.attr("href").substring(SITE.length()));
			assertThat(ApiClient.json(discovered).path("title").asString()).isEqualTo(title);
			assertThat(xmlFields(anonymous().get(xml.attr("href").substring(SITE.length())).body()).get("title")).isEqualTo(title);
			if (id.equals(publicId)) {
				assertThat(page.select("meta[property=og:title]").attr("content")).isEqualTo(title);
				assertThat(page.select("meta[property=og:type]").attr("content")).isEqualTo("video.other");
				assertThat(page.select("meta[property=og:url]").attr("content")).isEqualTo(SITE + "/watch/" + id);
				assertThat(page.select("meta[property=og:image]").attr("content"))
						.isEqualTo(SITE + "/api/stream/" + id + "/thumbnail.jpg");
			}
			else {
				assertThat(page.select("meta[property^=og:]")).as("UNLISTED is not advertised").isEmpty();
			}
		}
		// PRIVATE and unknown: the very same page, so nothing in it says the video exists.
		var privatePage = anonymous().get("/watch/" + privateId);
		assertThat(privatePage.statusCode()).isEqualTo(200);
		assertThat(privatePage.body()).isEqualTo(unknownPage).doesNotContain("Private diary");
		assertThat(Jsoup.parse(privatePage.body()).select("link[rel=alternate], meta[property^=og:]")).isEmpty();
	}

	@Test
	void theEmbedPageMayBeFramedByTheConfiguredSitesAndOtherPagesByThisSiteOnly() throws Exception {
		for (String id : List.of(publicId, unlistedId)) {
			var embed = anonymous().get("/embed/" + id);
			assertThat(embed.statusCode()).isEqualTo(200);
			String policy = embed.headers().firstValue("Content-Security-Policy").orElseThrow();
			assertThat(policy).endsWith("frame-ancestors 'self' https://blog.example.com")
					.contains("script-src 'self'").doesNotContain("unsafe-inline");
			assertThat(embed.headers().firstValue("X-Frame-Options")).as("no X-Frame-Options on the embed").isEmpty();
			Document page = Jsoup.parse(embed.body());
			assertThat(page.body().attr("data-page")).isEqualTo("embed");
			assertThat(page.select("script[src=\"/watch.js\"]")).as("the watch page's player").hasSize(1);
			assertThat(page.select("#embed-watch-link").attr("target")).isEqualTo("_blank");
			assertThat(page.select("#embed-watch-link").attr("rel")).contains("noopener");
		}
		// A PRIVATE or unknown video: the same "not available" page, framable, with nothing of the video.
		var privateEmbed = anonymous().get("/embed/" + privateId);
		var unknownEmbed = anonymous().get("/embed/AAAAAAAAAAAAAAAAAAAAAA");
		for (var embed : List.of(privateEmbed, unknownEmbed)) {
			assertThat(embed.statusCode()).isEqualTo(404);
			assertThat(Jsoup.parse(embed.body()).select("#video-not-found").text()).contains("This video is not available");
			assertThat(embed.headers().firstValue("X-Frame-Options")).isEmpty();
			assertThat(embed.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("https://blog.example.com");
		}
		assertThat(privateEmbed.body()).isEqualTo(unknownEmbed.body()).doesNotContain("Private diary");

		for (String path : List.of("/watch/" + publicId, "/watch/" + privateId, "/", "/login")) {
			var page = anonymous().get(path);
			assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).as(path)
					.endsWith("frame-ancestors 'self'").doesNotContain("blog.example.com");
			assertThat(page.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
		}
	}

	/** Within the box, touching one of its sides, the video's shape to the pixel. */
	private static void assertFits(JsonNode video, int width, int height, int boxWidth, int boxHeight) {
		int vw = video.path("width").asInt();
		int vh = video.path("height").asInt();
		assertThat(vw).isPositive();
		assertThat(width).isBetween(1, boxWidth);
		assertThat(height).isBetween(1, boxHeight);
		assertThat(width == boxWidth || height == boxHeight).as(width + "x" + height + " touches " + boxWidth + "x" + boxHeight)
				.isTrue();
		// w/h = vw/vh, give or take the rounding down of one side.
		assertThat(Math.abs((double) width * vh - (double) height * vw)).as(width + "x" + height + " has the shape of " + vw + "x" + vh)
				.isLessThanOrEqualTo(Math.max(vw, vh));
	}

	/** The oEmbed html as a browser reads it: exactly one element, an iframe, and no script anywhere. */
	private static Element onlyIframe(String html) {
		Document fragment = Jsoup.parseBodyFragment(html);
		assertThat(fragment.body().children()).as(html).hasSize(1);
		assertThat(fragment.select("script")).as(html).isEmpty();
		Element iframe = fragment.body().child(0);
		assertThat(iframe.tagName()).isEqualTo("iframe");
		return iframe;
	}

	/** The children of {@code <oembed>} by name, parsed by a real XML parser (no DTDs). */
	private static Map<String, String> xmlFields(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		var document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
		assertThat(document.getDocumentElement().getNodeName()).isEqualTo("oembed");
		Map<String, String> fields = new LinkedHashMap<>();
		for (Node child = document.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child.getNodeType() == Node.ELEMENT_NODE) {
				assertThat(fields.put(child.getNodeName(), child.getTextContent())).as("one " + child.getNodeName()).isNull();
			}
		}
		return fields;
	}
}
