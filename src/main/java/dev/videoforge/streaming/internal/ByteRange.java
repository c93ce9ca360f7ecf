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
		if (spec.contains(",")) {
			return null;
		}
		int dash = spec.indexOf('-');
		if (dash < 0) {
			return null;
		}
		try {
			String first = spec.substring(0, dash).trim();
			String last = spec.substring(dash + 1).trim();
			if (first.isEmpty()) {
				// "bytes=-N": the last N bytes.
				long suffix = Long.parseLong(last);
				if (suffix <= 0) {
					throw new Unsatisfiable();
				}
				if (size == 0) {
					throw new Unsatisfiable();
				}
				return new ByteRange(Math.max(0, size - suffix), size - 1);
			}
			long start = Long.parseLong(first);
			long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
			if (start >= size) {
				throw new Unsatisfiable();
			}
			if (end < start) {
				return null;
			}
			return new ByteRange(start, Math.min(end, size - 1));
		}
		catch (NumberFormatException e) {
			return null;
		}
	}
}
