package dev.videoforge.transcode.internal;

/**
 * A frame rate as the exact fraction ffmpeg's {@code fps} filter and the HLS timestamps use
 * ({@code 30000/1001} for NTSC's 29.97, not a rounded decimal that would drift).
 */
record FrameRate(long numerator, long denominator) {

	FrameRate {
		if (numerator <= 0 || denominator <= 0) {
			throw new IllegalArgumentException("a frame rate is a positive fraction: " + numerator + "/" + denominator);
		}
	}

	/** The nearest rate worth naming: NTSC's 24, 30 and 60 x 1000/1001 exactly, whole rates, else in thousandths. */
	static FrameRate of(double fps) {
		for (int base : new int[] { 24, 30, 60 }) {
			if (Math.abs(fps - base * 1000 / 1001.0) < 0.01) {
				return new FrameRate(base * 1000L, 1001);
			}
		}
		if (Math.abs(fps - Math.round(fps)) < 0.01) {
			return new FrameRate(Math.round(fps), 1);
		}
		long thousandths = Math.round(fps * 1000);
		long gcd = java.math.BigInteger.valueOf(thousandths).gcd(java.math.BigInteger.valueOf(1000)).longValue();
		return new FrameRate(thousandths / gcd, 1000 / gcd);
	}

	/** Frames per second as a number. */
	double value() {
		return (double) numerator / denominator;
	}

	/** As ffmpeg takes it: {@code 30}, or {@code 30000/1001}. */
	@Override
	public String toString() {
		return denominator == 1 ? String.valueOf(numerator) : numerator + "/" + denominator;
	}
}
