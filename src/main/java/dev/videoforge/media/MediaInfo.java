package dev.videoforge.media;

/**
 * What ffprobe found in a file. {@code video} is the first real video stream (cover art does not
 * count), {@code audio} the first audio stream; either may be null, not both.
 */
public record MediaInfo(String format, double durationSeconds, VideoStream video, AudioStream audio) {

	public boolean hasVideo() {
		return video != null;
	}

	public boolean hasAudio() {
		return audio != null;
	}

	/**
	 * A video stream. {@code width}/{@code height} are as coded; {@link #displayWidth()} and
	 * {@link #displayHeight()} are as shown after the rotation the file asks for.
	 */
	public record VideoStream(int index, String codec, int width, int height, int rotation, String pixelFormat,
			double frameRate, boolean interlaced, int bitsPerSample, double sampleAspect, String colorTransfer) {

		/** High dynamic range (PQ as in HDR10, or HLG): needs tone-mapping for SDR H.264. */
		public boolean hdr() {
			return "smpte2084".equals(colorTransfer) || "arib-std-b67".equals(colorTransfer);
		}

		public boolean rotated90() {
			int r = Math.floorMod(rotation, 180);
			return r == 90;
		}

		/** Width as shown: non-square pixels stretched out, then rotated. */
		public int displayWidth() {
			return rotated90() ? height : squareWidth();
		}

		public int displayHeight() {
			return rotated90() ? squareWidth() : height;
		}

		private int squareWidth() {
			return (int) Math.round(width * (sampleAspect > 0 ? sampleAspect : 1));
		}
	}

	public record AudioStream(int index, String codec, int channels, int sampleRate) {
	}
}
