package dev.videoforge.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.shared.ApiExceptionHandler;
import dev.videoforge.shared.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The caption parser and cleaner, one attack class or rule per test. */
class CaptionParserTests {

	/** A 60 s video with 5 s of margin, 100 cues of 200 characters at most. */
	private static final CaptionParser.Limits LIMITS = new CaptionParser.Limits(100, 200, 65_000);

	private static List<CaptionParser.Cue> parse(String text) {
		return CaptionParser.parse(text.getBytes(StandardCharsets.UTF_8), LIMITS);
	}

	private static void refused(ThrowingCallable call, int status, String code, String messagePart) {
		assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, e -> {
			assertThat(ApiExceptionHandler.statusOf(e).value()).isEqualTo(status);
			assertThat(e.code()).isEqualTo(code);
			assertThat(e.getMessage()).contains(messagePart);
		});
	}

	@Test
	void readsSubRip() {
		List<CaptionParser.Cue> cues = parse("""
				1
				00:00:01,000 --> 00:00:02,500
				Hello
				world

				2
				00:00:03,250 --> 00:00:04,000 X1:10 X2:20 Y1:5 Y2:9
				Second
				""");
		assertThat(cues).containsExactly(new CaptionParser.Cue(1000, 2500, "Hello\nworld"),
				new CaptionParser.Cue(3250, 4000, "Second"));
	}

	@Test
	void readsWebVttWithIdentifiersHoursAndSettings() {
		List<CaptionParser.Cue> cues = parse("""
				WEBVTT - a title
				Kind: captions

				intro
				00:01.000 --> 00:02.000 align:start line:0
				One

				01:00:00.000 --> 01:00:01.000
				Late
				""");
		// The second cue starts after the 60 s video (plus margin): dropped.
		assertThat(cues).containsExactly(new CaptionParser.Cue(1000, 2000, "One"));
	}

	@Test
	void writesCleanWebVtt() {
		List<CaptionParser.Cue> cues = parse("1\n00:00:01,000 --> 00:00:02,000\n<i>a & b</i>\n");
		assertThat(WebVtt.write(cues)).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i>a &amp; b</i>\n\n");
	}

	@Test
	void refusesBinaryBytes() {
		byte[] bytes = { 'W', 'E', 'B', 'V', 'T', 'T', '\n', '\n', 0, 1, 2, 3, 4, '\n' };
		refused(() -> CaptionParser.parse(bytes, LIMITS), 415, "unsupported_caption", "binary");
	}

	@Test
	void refusesAPngNamedSrt() {
		byte[] png = Base64.getDecoder().decode(
				"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==");
		refused(() -> CaptionParser.parse(png, LIMITS), 415, "unsupported_caption", "UTF-8");
	}

	@Test
	void refusesTextThatIsNotUtf8() {
		byte[] latin1 = "1\n00:00:01,000 --> 00:00:02,000\nCaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
		refused(() -> CaptionParser.parse(latin1, LIMITS), 415, "unsupported_caption", "not UTF-8");
	}

	@Test
	void refusesTextInNeitherFormat() {
		refused(() -> parse("<html><script>alert(1)</script></html>"), 415, "unsupported_caption", "neither WebVTT");
		refused(() -> parse("   \n\n"), 415, "unsupported_caption", "empty");
		// "WEBVTTX" is not the signature (§4.1: a space, a tab or the line's end must follow).
		refused(() -> parse("WEBVTTX\n\n00:01.000 --> 00:02.000\nx\n"), 415, "unsupported_caption", "neither");
	}

	@Test
	void refusesTooManyCues() {
		StringBuilder srt = new StringBuilder();
		for (int i = 0; i < 101; i++) {
			srt.append(i + 1).append('\n').append(String.format("00:00:%02d,000 --> 00:00:%02d,500\ncue %d\n\n", i % 60, i % 60, i));
		}
		refused(() -> parse(srt.toString()), 422, "invalid_caption", "at most 100 cues");
	}

	@Test
	void refusesACueTooLong() {
		refused(() -> parse("1\n00:00:01,000 --> 00:00:02,000\n" + "x".repeat(201) + "\n"), 422, "invalid_caption",
				"at most 200 characters");
	}

	@Test
	void removesScriptStyleImgAndLinkMarkupKeepingTheWordsAsText() {
		List<CaptionParser.Cue> cues = parse("""
				WEBVTT

				00:01.000 --> 00:02.000
				<script>alert(1)</script><style>body{}</style>
				<img src=x onerror=alert(2)><a href="javascript:alert(3)">click</a>
				<b.x>bold</b> <c.yellow>c</c> <v.loud Bob "x">hi</v> <lang en-GB>colour</lang> <ruby>漢<rt>kan</rt></ruby>
				""");
		assertThat(cues).hasSize(1);
		String text = cues.get(0).text();
		assertThat(text).isEqualTo("alert(1)body{}\nclick\n<b>bold</b> <c>c</c> <v Bob x>hi</v> <lang en-GB>colour</lang> <ruby>漢<rt>kan</rt></ruby>");
		assertThat(text).doesNotContain("<script", "<img", "<a ", "javascript:", "<style", "onerror");
	}

	@Test
	void javascriptUrlsInSubRipAreOnlyText() {
		List<CaptionParser.Cue> cues = parse("1\n00:00:01,000 --> 00:00:02,000\n<font color=\"red\">javascript:alert(1)</font> {\\an8}top\n");
		// No tag or attribute is left that could carry it: the words are shown as words.
		assertThat(cues.get(0).text()).isEqualTo("javascript:alert(1) top");
	}

	@Test
	void escapesAmpersandsAndAngleBracketsAndKeepsEntitiesOfWebVtt() {
		assertThat(parse("1\n00:00:01,000 --> 00:00:02,000\nR&D &lt;3 a < b\nx --> y\n").get(0).text())
				.isEqualTo("R&amp;D &amp;lt;3 a &lt; b\nx --&gt; y");
		assertThat(parse("WEBVTT\n\n00:01.000 --> 00:02.000\n&lt;script&gt; &amp; &bogus; &#65;\n").get(0).text())
				.isEqualTo("&lt;script&gt; &amp; &amp;bogus; A");
	}

	@Test
	void closesTagsLeftOpenAndIgnoresStrayEndTags() {
		assertThat(parse("1\n00:00:01,000 --> 00:00:02,000\n<i><b>x</i></u>\n").get(0).text()).isEqualTo("<i><b>x</b></i>");
	}

	@Test
	void refusesMalformedTimings() {
		refused(() -> parse("WEBVTT\n\n00:01.000 --> soon\nx\n"), 422, "invalid_caption", "line 3");
		refused(() -> parse("WEBVTT\n\n00:61.000 --> 00:62.000\nx\n"), 422, "invalid_caption", "not a cue timing");
		refused(() -> parse("WEBVTT\n\n00:01,000 --> 00:02,000\nx\n"), 422, "invalid_caption", "not a cue timing");
		refused(() -> parse("1\n00:00:01,000 --> 00:00:02,000\nx\n\n2\n00:00:0x,000 --> 00:00:03,000\ny\n"), 422,
				"invalid_caption", "line 6");
	}

	@Test
	void refusesNegativeTimings() {
		refused(() -> parse("WEBVTT\n\n-00:01.000 --> 00:02.000\nx\n"), 422, "invalid_caption", "not a cue timing");
		refused(() -> parse("1\n-00:00:01,000 --> 00:00:02,000\nx\n"), 422, "invalid_caption", "not a SubRip cue timing");
	}

	@Test
	void refusesACueThatEndsBeforeItStarts() {
		refused(() -> parse("1\n00:00:05,000 --> 00:00:04,000\nx\n"), 422, "invalid_caption", "ends (00:00:04.000) before it starts");
		refused(() -> parse("WEBVTT\n\n00:05.000 --> 00:05.000\nx\n"), 422, "invalid_caption", "before it starts");
	}

	@Test
	void dropsCuesPastTheVideoAndCutsTheOneRunningOver() {
		List<CaptionParser.Cue> cues = parse("""
				1
				00:00:59,000 --> 00:01:30,000
				runs over

				2
				00:01:10,000 --> 00:01:11,000
				after the end
				""");
		assertThat(cues).containsExactly(new CaptionParser.Cue(59_000, 65_000, "runs over"));
		refused(() -> parse("1\n10:00:00,000 --> 10:00:01,000\nlate\n"), 422, "invalid_caption", "no cue");
	}

	@Test
	void readsAByteOrderMarkAndCrLf() {
		byte[] bom = "\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nOne\r\nline two\r\n\r\n".getBytes(StandardCharsets.UTF_8);
		assertThat(CaptionParser.parse(bom, LIMITS)).containsExactly(new CaptionParser.Cue(1000, 2000, "One\nline two"));
		byte[] srt = "\uFEFF1\r00:00:01,000 --> 00:00:02,000\rOld Mac\r\r".getBytes(StandardCharsets.UTF_8);
		assertThat(CaptionParser.parse(srt, LIMITS)).containsExactly(new CaptionParser.Cue(1000, 2000, "Old Mac"));
	}

	@Test
	void dropsNoteStyleAndRegionBlocks() {
		List<CaptionParser.Cue> cues = parse("""
				WEBVTT

				STYLE
				::cue { background: url(javascript:alert(1)) }

				REGION
				id:fred width:40%

				NOTE <script>alert(1)</script>
				more of the note

				00:01.000 --> 00:02.000 region:fred
				Text
				""");
		assertThat(cues).containsExactly(new CaptionParser.Cue(1000, 2000, "Text"));
		assertThat(WebVtt.write(cues)).doesNotContain("NOTE", "STYLE", "REGION", "script", "region:");
	}

	@Test
	void dropsControlCharactersAndCuesLeftEmpty() {
		List<CaptionParser.Cue> cues = parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<b></b>\n\n00:03.000 --> 00:04.000\na\u0085b\u009bc\n");
		assertThat(cues).containsExactly(new CaptionParser.Cue(3000, 4000, "abc"));
	}

	@Test
	void keepsCuesInStartOrder() {
		List<CaptionParser.Cue> cues = parse("1\n00:00:05,000 --> 00:00:06,000\nB\n\n2\n00:00:01,000 --> 00:00:02,000\nA\n");
		assertThat(cues).extracting(CaptionParser.Cue::text).containsExactly("A", "B");
	}
}
