package dev.videoforge.catalog.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cleans one cue's text into WebVTT cue text that a browser only ever shows as text. Kept: the
 * WebVTT cue span tags of §4.2.2 that style text and nothing else ({@code b, i, u, c, v, lang,
 * ruby, rt}), without classes, with a sanitized annotation for {@code v} and {@code lang}, closed
 * in order. Dropped: every other tag ({@code script}, {@code img}, {@code font}, {@code a}, ...),
 * timestamp tags, SubRip's ASS override blocks ({@code {\an8}}), control characters, blank lines
 * (a blank line would end the cue). Text is escaped ({@code &amp; &lt; &gt;}), so a "-->" or a
 * tag written as entities stays text.
 */
final class CueText {

	private static final Set<String> ALLOWED = Set.of("b", "i", "u", "c", "v", "lang", "ruby", "rt");

	/** §4.2.2 character references WebVTT writers use; others are left as written (and so shown as written). */
	private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "lrm", "\u200E", "rlm",
			"\u200F", "nbsp", "\u00A0", "quot", "\"", "apos", "'");

	private static final Pattern ASS_OVERRIDE = Pattern.compile("\\{\\\\[^}]*}");

	/** Controls (C0, DEL, C1) other than line feed: never shown, sometimes used to smuggle. */
	private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F]");

	private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,7}");

	private CueText() {
	}

	/**
	 * @param raw the cue's lines as written, joined by line feeds
	 * @param vtt whether the source is WebVTT (character references are read) or SubRip (text is literal)
	 */
	static String clean(String raw, boolean vtt) {
		String text = vtt ? raw : ASS_OVERRIDE.matcher(raw).replaceAll("");
		StringBuilder out = new StringBuilder(text.length());
		Deque<String> open = new ArrayDeque<>();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '<') {
				int close = text.indexOf('>', i + 1);
				int nextOpen = text.indexOf('<', i + 1);
				int newline = text.indexOf('\n', i + 1);
				if (close < 0 || (nextOpen >= 0 && nextOpen < close) || (newline >= 0 && newline < close)) {
					out.append("&lt;"); // not a tag (no tag spans lines): a lone '<' is text
					i++;
					continue;
				}
				tag(text.substring(i + 1, close), out, open);
				i = close + 1;
			}
			else if (c == '&' && vtt) {
				int semi = text.indexOf(';', i + 1);
				String decoded = semi > i && semi - i <= 10 ? reference(text.substring(i + 1, semi)) : null;
				if (decoded != null) {
					escape(decoded, out);
					i = semi + 1;
				}
				else {
					out.append("&amp;");
					i++;
				}
			}
			else {
				escape(String.valueOf(c), out);
				i++;
			}
		}
		while (!open.isEmpty()) {
			out.append("</").append(open.pop()).append('>');
		}
		return tidyLines(out.toString());
	}

	/** Keeps an allowed start or end tag (as a clean re-written tag); drops anything else. */
	private static void tag(String inside, StringBuilder out, Deque<String> open) {
		if (inside.startsWith("/")) {
			String name = inside.substring(1).strip().toLowerCase(Locale.ROOT);
			if (open.contains(name)) {
				// Closing an outer span closes the ones inside it first (§6.4's tree building).
				String top;
				do {
					top = open.pop();
					out.append("</").append(top).append('>');
				}
				while (!top.equals(name));
			}
			return;
		}
		int end = 0;
		while (end < inside.length() && !Character.isWhitespace(inside.charAt(end)) && inside.charAt(end) != '.') {
			end++;
		}
		String name = inside.substring(0, end).toLowerCase(Locale.ROOT);
		if (!ALLOWED.contains(name)) {
			return; // script, style, img, a, font, timestamps, ...: the tag goes, its text stays text
		}
		int space = firstWhitespace(inside);
		String annotation = space < 0 ? "" : inside.substring(space).strip();
		if (name.equals("lang")) {
			if (!LANGUAGE.matcher(annotation).matches()) {
				return;
			}
			out.append("<lang ").append(annotation).append('>');
		}
		else if (name.equals("v") && !annotation.isEmpty()) {
			String speaker = CONTROL.matcher(annotation).replaceAll("").replaceAll("[&<>\"]", "").strip();
			speaker = speaker.length() > 64 ? speaker.substring(0, 64) : speaker;
			out.append(speaker.isEmpty() ? "<v>" : "<v " + speaker + ">");
		}
		else {
			out.append('<').append(name).append('>');
		}
		open.push(name);
	}

	private static int firstWhitespace(String s) {
		for (int i = 0; i < s.length(); i++) {
			if (Character.isWhitespace(s.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	private static String reference(String name) {
		String known = ENTITIES.get(name);
		if (known != null) {
			return known;
		}
		try {
			int code = name.startsWith("#x") || name.startsWith("#X") ? Integer.parseInt(name.substring(2), 16)
					: name.startsWith("#") ? Integer.parseInt(name.substring(1)) : -1;
			return code > 0 && Character.isValidCodePoint(code) ? Character.toString(code) : null;
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	private static void escape(String s, StringBuilder out) {
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				default -> out.append(c);
			}
		}
	}

	/** Controls out, each line stripped of trailing blanks, blank lines (which would end the cue) out. */
	private static String tidyLines(String text) {
		String cleaned = CONTROL.matcher(text).replaceAll("");
		StringBuilder out = new StringBuilder(cleaned.length());
		for (String line : cleaned.split("\n")) {
			String trimmed = line.stripTrailing();
			if (!trimmed.isBlank()) {
				if (!out.isEmpty()) {
					out.append('\n');
				}
				out.append(trimmed);
			}
		}
		// A cue whose only content was tags shows nothing: treated as empty.
		String visible = out.toString().replaceAll("<[^>]*>", "").strip();
		return visible.isEmpty() ? "" : out.toString();
	}
}
