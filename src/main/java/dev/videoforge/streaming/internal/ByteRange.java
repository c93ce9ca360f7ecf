package dev.videoforge.streaming.internal;

/**
 * One byte range of an object of {@code size} bytes, from a {@code Range} header (RFC 9110 §14.1.2).
 * Only a single range is served partially; several ranges, or a header this parser does not
 * understand, are answered with the whole object, which the RFC allows.
 */
record ByteRange(long start, long end) {

	long length() {
		return end - start + 1;
	}

	/** Thrown for a syntactically valid range that lies wholly past the end (answered 416). */
	static final class Unsatisfiable extends Exception {
		Unsatisfiable() {
			super(null, null, false, false);
		}
	}

	/** The range asked for, or null to send the whole object. */
	static ByteRange parse(String header, long size) throws Unsatisfiable {
		if (header == null || !header.startsWith("bytes=")) {
			return null;
		}
		String spec = header.substring(6).trim();
		int dash = spec.indexOf('-');
		if (spec.contains(",") || dash < 0) {
			return null;
		}
		String first = spec.substring(0, dash).trim();
		String last = spec.substring(dash + 1).trim();
		if (first.isEmpty()) {
			// "bytes=-N": the last N bytes.
			long suffix = bound(last);
			if (suffix < 0) {
				return null;
			}
			if (suffix == 0 || size == 0) {
				throw new Unsatisfiable();
			}
			return new ByteRange(Math.max(0, size - suffix), size - 1);
		}
		long start = bound(first);
		long end = last.isEmpty() ? Long.MAX_VALUE : bound(last);
		if (start < 0 || end < 0) {
			return null;
		}
		if (start >= size) {
			throw new Unsatisfiable();
		}
		if (end < start) {
			return null;
		}
		return new ByteRange(start, Math.min(end, size - 1));
	}

	/** A position of the header: its value, {@code Long.MAX_VALUE} for digits past a long's range, -1 when not digits. */
	private static long bound(String digits) {
		if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return -1;
		}
		try {
			return Long.parseLong(digits);
		}
		catch (NumberFormatException e) {
			return Long.MAX_VALUE;
		}
	}
}
