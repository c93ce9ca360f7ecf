package dev.videoforge.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.web.WebSettings;
import java.net.URI;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure parts of embedding: start times, which links are ours, iframe sizes, the XML form, the settings' checks. */
class EmbedLinksTests {

	@ParameterizedTest
	@CsvSource({ "90,90", "90s,90", "1m30s,90", "1m,60", "1h2m3s,3723", "1:30,90", "1:02:03,3723", "0:05,5", "2H,7200" })
	void startTimesInTheFormsPeoplePaste(String text, long seconds) {
		assertThat(StartTime.parse(text)).isEqualTo(OptionalLong.of(seconds));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "0", "s", "-5", "1.5", "abc", "1:2", "1m30x", "90;alert(1)", "99999999999", "1:99:99:99", "169h" })
	void anythingElseIsNoStartTime(String text) {
		assertThat(StartTime.parse(text)).isEmpty();
	}

	@Test
	void onlyWatchAndEmbedLinksOfThisSiteNameAVideo() {
		String[] bases = { "https://videos.example.com", "http://127.0.0.1:8080" };
		assertThat(SiteLinks.parse("https://videos.example.com/watch/abc_DEF-1", bases))
				.contains(new SiteLinks.Target("abc_DEF-1", 0));
		assertThat(SiteLinks.parse("HTTPS://Videos.Example.com:443/embed/abc/?t=1m5s", bases)).contains(new SiteLinks.Target("abc", 65));
		assertThat(SiteLinks.parse("http://127.0.0.1:8080/watch/abc?x=1&t=later", bases)).contains(new SiteLinks.Target("abc", 0));
		assertThat(SiteLinks.parse("http://127.0.0.1:8080/watch/abc?t=%ZZ", bases)).as("a broken escape").isEmpty();
		for (String other : new String[] { "http://videos.example.com/watch/abc", "https://videos.example.com:444/watch/abc",
				"https://a@videos.example.com/watch/abc", "https://videos.example.com/watch/a/b", "https://videos.example.com/watch/a%2Fb",
				"https://videos.example.com/watchx/abc", "//videos.example.com/watch/abc", "http://127.0.0.1:8081/watch/abc", null, "" }) {
			assertThat(SiteLinks.parse(other, bases)).as(other).isEmpty();
		}
	}

	@Test
	void theIframeFitsTheBoxWithTheVideosShape() {
		assertThat(OEmbedAnswer.fit(1920, 1080, 640, 360)).isEqualTo(new OEmbedAnswer.Size(640, 360));
		assertThat(OEmbedAnswer.fit(1080, 720, 640, 360)).isEqualTo(new OEmbedAnswer.Size(540, 360));
		assertThat(OEmbedAnswer.fit(720, 1280, 640, 360)).isEqualTo(new OEmbedAnswer.Size(202, 360));
		assertThat(OEmbedAnswer.fit(854, 480, 640, 360)).isEqualTo(new OEmbedAnswer.Size(640, 359));
		assertThat(OEmbedAnswer.fit(null, null, 300, 300)).as("audio only: 16:9").isEqualTo(new OEmbedAnswer.Size(300, 168));
		assertThat(OEmbedAnswer.fit(100, 10_000, 50, 50)).isEqualTo(new OEmbedAnswer.Size(1, 50));
	}

	@Test
	void theIframeAndTheXmlEscapeEverything() {
		String html = OEmbedAnswer.iframe("https://v.example/embed/a?t=1&x=\"", new OEmbedAnswer.Size(2, 1), "\"><script>'&");
		assertThat(html).isEqualTo("<iframe src=\"https://v.example/embed/a?t=1&amp;x=&quot;\" width=\"2\" height=\"1\" frameborder=\"0\" "
				+ "allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"&quot;&gt;&lt;script&gt;&#39;&amp;\"></iframe>");
		String xml = OEmbedAnswer.xml(Map.of("title", "</title><x>&\u0001"));
		assertThat(xml).contains("<oembed><title>&lt;/title>&lt;x>&amp;\uFFFD</title></oembed>");
	}

	@Test
	void frameAncestorsMustBeCspSources() {
		for (String good : new String[] { "*", "'self'", "'none'", "'self' https://blog.example.com", "https:", "https://*.example.com:443/path",
				"  http://localhost:*  'self' " }) {
			assertThat(settings(good).embedFrameAncestors()).isEqualTo(good.strip());
		}
		for (String bad : new String[] { "", "* ; script-src *", "'unsafe-inline'", "https://a.example,https://b.example",
				"'none' 'self'", "https://a.example/\"", "'self';" }) {
			assertThatThrownBy(() -> settings(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("embed-frame-ancestors");
		}
		assertThatThrownBy(() -> new WebSettings(URI.create("ftp://x.example"), "*", "VideoForge", 640, 360))
				.hasMessageContaining("public-base-url");
		assertThat(new WebSettings(URI.create("https://x.example/"), "*", "VideoForge", 640, 360).baseUrl()).isEqualTo("https://x.example");
	}

	private static WebSettings settings(String ancestors) {
		return new WebSettings(null, ancestors, "VideoForge", 640, 360);
	}
}
