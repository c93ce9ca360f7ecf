package dev.videoforge.streaming.internal;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The {@code Content-Disposition} of an MP4 download (RFC 6266): {@code attachment}, an ASCII
 * {@code filename} for old clients and a UTF-8 {@code filename*} (RFC 8187) for the rest, both
 * derived from the title. A title is whatever its owner typed: quotes, semicolons, backslashes,
 * line breaks, path separators, bidirectional overrides (which make {@code exe.mp4} look like
 * {@code 4pm.exe}) and the like are replaced, so no title can end the header, add a parameter or
 * name a path.
 */
final class DownloadNames {

	private static final int MAX_ASCII = 80;
	private static final int MAX_CODE_POINTS = 100;

	private DownloadNames() {
	}

	static String contentDisposition(String title, String quality) {
		String suffix = "-" + quality + ".mp4";
		return "attachment; filename=\"" + ascii(title) + suffix + "\"; filename*=UTF-8''" + encode(unicode(title) + suffix);
	}

	/** Letters without accents, digits, dot, underscore and hyphen; anything else becomes a hyphen. */
	static String ascii(String title) {
		String plain = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
		String safe = plain.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-{2,}", "-").replaceAll("^[-.]+|[-.]+$", "");
		if (safe.length() > MAX_ASCII) {
			safe = safe.substring(0, MAX_ASCII).replaceAll("[-.]+$", "");
		}
		return safe.isEmpty() ? "video" : safe;
	}

	/** The title in any script, without controls, invisible formatting, or characters file systems refuse. */
	static String unicode(String title) {
		StringBuilder out = new StringBuilder();
		int count = 0;
		for (int cp : (title == null ? "" : Normalizer.normalize(title, Normalizer.Form.NFC)).codePoints().toArray()) {
			if (count >= MAX_CODE_POINTS) {
				break;
			}
			int type = Character.getType(cp);
			boolean bad = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
					|| type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
					|| type == Character.PARAGRAPH_SEPARATOR || "\\/:*?\"<>|;%".indexOf(cp) >= 0;
			out.appendCodePoint(bad ? '-' : Character.isWhitespace(cp) || Character.isSpaceChar(cp) ? ' ' : cp);
			count++;
		}
		String name = out.toString().replaceAll(" {2,}", " ").replaceAll("-{2,}", "-").strip().replaceAll("^[-.]+|[-. ]+$", "");
		return name.isEmpty() ? "video" : name;
	}

	/** RFC 8187 {@code value-chars}: attr-char as is, every other UTF-8 byte as %XX. */
	static String encode(String value) {
		StringBuilder out = new StringBuilder();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
				out.append((char) c);
			}
			else {
				out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
						.append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
			}
		}
		return out.toString();
	}
}
