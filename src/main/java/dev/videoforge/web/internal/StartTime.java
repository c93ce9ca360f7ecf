package dev.videoforge.web.internal;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code t} of a watch or embed link, the time to start at, in the forms people paste:
 * {@code 90}, {@code 90s}, {@code 1m30s}, {@code 1h2m3s}, {@code 1:30}, {@code 1:02:03}. The
 * pages parse it the same way ({@code embed.js}); this copy reads it out of the links oEmbed is
 * asked about, so that only a number ever reaches the iframe it answers with.
 */
final class StartTime {

	/** A week: no video is longer, and nothing that large overflows. */
	static final long MAX_SECONDS = 7 * 24 * 3600;

	private static final Pattern UNITS = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,7})s?)?");
	private static final Pattern CLOCK = Pattern.compile("(?:(\\d{1,6}):)?(\\d{1,6}):(\\d{2})");

	private StartTime() {
	}

	/** Whole seconds, or empty when the text is none of the forms (or zero). */
	static OptionalLong parse(String text) {
		if (text == null || text.isBlank() || text.length() > 24) {
			return OptionalLong.empty();
		}
		String t = text.strip().toLowerCase(java.util.Locale.ROOT);
		long seconds;
		Matcher clock = CLOCK.matcher(t);
		Matcher units = UNITS.matcher(t);
		if (clock.matches()) {
			seconds = number(clock.group(1)) * 3600 + number(clock.group(2)) * 60 + number(clock.group(3));
		}
		else if (units.matches() && !t.isEmpty() && !t.equals("s")) {
			seconds = number(units.group(1)) * 3600 + number(units.group(2)) * 60 + number(units.group(3));
		}
		else {
			return OptionalLong.empty();
		}
		return seconds > 0 && seconds <= MAX_SECONDS ? OptionalLong.of(seconds) : OptionalLong.empty();
	}

	private static long number(String digits) {
		return digits == null ? 0 : Long.parseLong(digits);
	}
}
