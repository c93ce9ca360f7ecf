package dev.videoforge.cli;

import java.util.Locale;

/** Sizes, rates and durations as people read them, and sizes as people type them. */
final class Units {

	private Units() {
	}

	/** {@code 512 B}, {@code 3.3 MiB}, {@code 1.20 GiB}. */
	static String bytes(double bytes) {
		String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
		int unit = 0;
		while (bytes >= 1024 && unit < units.length - 1) {
			bytes /= 1024;
			unit++;
		}
		if (unit == 0) {
			return String.format(Locale.ROOT, "%.0f B", bytes);
		}
		return String.format(Locale.ROOT, bytes < 10 ? "%.2f %s" : bytes < 100 ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
	}

	/** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
	static String clock(long seconds) {
		if (seconds < 0) {
			return "?";
		}
		long h = seconds / 3600;
		long m = seconds / 60 % 60;
		long s = seconds % 60;
		return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
	}

	/** Parses {@code 1048576}, {@code 512k}, {@code 8M}, {@code 1g} (binary multiples; a trailing {@code B}/{@code iB} is allowed). */
	static long parseSize(String option, String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.endsWith("ib")) {
			t = t.substring(0, t.length() - 2);
		}
		else if (t.endsWith("b")) {
			t = t.substring(0, t.length() - 1);
		}
		long multiplier = 1;
		if (!t.isEmpty()) {
			switch (t.charAt(t.length() - 1)) {
				case 'k' -> multiplier = 1L << 10;
				case 'm' -> multiplier = 1L << 20;
				case 'g' -> multiplier = 1L << 30;
				default -> multiplier = 1;
			}
			if (multiplier > 1) {
				t = t.substring(0, t.length() - 1);
			}
		}
		try {
			double value = Double.parseDouble(t);
			if (!(value > 0) || value * multiplier > Long.MAX_VALUE / 2) {
				throw new NumberFormatException();
			}
			return Math.max(1, (long) (value * multiplier));
		}
		catch (NumberFormatException e) {
			throw CliException.usage(option + " takes a size such as 512k, 8M or 1G, not '" + text + "'");
		}
	}
}
