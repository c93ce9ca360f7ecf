package dev.videoforge.web.internal;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.springframework.web.util.HtmlUtils;

/**
 * What oEmbed 1.0 says about one video (https://oembed.com, 2.3.4 "Response parameters"), in the
 * spec's field order, and its two forms: JSON (the map as is) and XML (2.3.4: "an
 * {@code <oembed>} root element ... each response parameter as a child element").
 */
final class OEmbedAnswer {

	/** What the iframe lets the framed player do: start by itself (muted), fill the screen, float. */
	static final String ALLOW = "autoplay; fullscreen; picture-in-picture";

	private OEmbedAnswer() {
	}

	/** A picture size. */
	record Size(int width, int height) {
	}

	/**
	 * The largest size of the video's shape that fits the box: {@code maxwidth}/{@code maxheight}
	 * are limits the consumer sets (2.2: "the provider must respect them"); a video with no
	 * picture (audio only) gets the 16:9 player. Rounded down, so a limit is never passed.
	 */
	static Size fit(Integer videoWidth, Integer videoHeight, int boxWidth, int boxHeight) {
		boolean picture = videoWidth != null && videoWidth > 0 && videoHeight != null && videoHeight > 0;
		double w = picture ? videoWidth : 16;
		double h = picture ? videoHeight : 9;
		double scale = Math.min(boxWidth / w, boxHeight / h);
		return new Size(Math.max(1, (int) Math.floor(w * scale + 1e-9)), Math.max(1, (int) Math.floor(h * scale + 1e-9)));
	}

	/**
	 * The iframe embedders paste: every attribute value HTML-escaped (a title is whatever its
	 * owner typed, {@code "><script>} included).
	 */
	static String iframe(String src, Size size, String title) {
		return "<iframe src=\"" + escape(src) + "\" width=\"" + size.width() + "\" height=\"" + size.height()
				+ "\" frameborder=\"0\" allow=\"" + ALLOW + "\" allowfullscreen title=\"" + escape(title)
				+ "\"></iframe>";
	}

	/** Text for an HTML attribute value or element: {@code < > & " '} escaped, everything else as is (UTF-8). */
	static String escape(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

	/** The response parameters, in the spec's order; absent optional ones left out. */
	static Map<String, Object> of(String title, String authorName, String providerName, String providerUrl,
			Long cacheAgeSeconds, String thumbnailUrl, Size thumbnail, String html, Size size) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("type", "video");
		answer.put("version", "1.0");
		answer.put("title", title);
		answer.put("author_name", authorName);
		answer.put("provider_name", providerName);
		answer.put("provider_url", providerUrl);
		if (cacheAgeSeconds != null) {
			answer.put("cache_age", cacheAgeSeconds);
		}
		// 2.3.4: thumbnail_width and thumbnail_height must be there when thumbnail_url is, and the reverse.
		if (thumbnailUrl != null && thumbnail != null) {
			answer.put("thumbnail_url", thumbnailUrl);
			answer.put("thumbnail_width", thumbnail.width());
			answer.put("thumbnail_height", thumbnail.height());
		}
		answer.put("html", html);
		answer.put("width", size.width());
		answer.put("height", size.height());
		return answer;
	}

	/**
	 * The XML form, written by the JDK's StAX writer, which escapes every value; characters XML 1.0
	 * cannot carry at all (most control characters) become U+FFFD instead of making the
	 * document unreadable.
	 */
	static String xml(Map<String, Object> answer) {
		StringWriter out = new StringWriter();
		try {
			XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
			xml.writeStartDocument("utf-8", "1.0");
			xml.writeStartElement("oembed");
			for (Map.Entry<String, Object> field : answer.entrySet()) {
				xml.writeStartElement(field.getKey());
				xml.writeCharacters(xmlSafe(String.valueOf(field.getValue())));
				xml.writeEndElement();
			}
			xml.writeEndElement();
			xml.writeEndDocument();
			xml.close();
		}
		catch (XMLStreamException e) {
			throw new IllegalStateException("the oEmbed XML could not be written", e);
		}
		return out.toString();
	}

	private static String xmlSafe(String text) {
		StringBuilder safe = new StringBuilder(text.length());
		text.codePoints().forEach(c -> {
			boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
					|| (c >= 0x10000 && c <= 0x10FFFF);
			safe.appendCodePoint(allowed ? c : 0xFFFD);
		});
		return safe.toString();
	}
}
