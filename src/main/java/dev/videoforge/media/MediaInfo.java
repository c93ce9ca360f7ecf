package dev.videoforge.media;

/**
 * What ffprobe found in a file. {@code video} is the first real video stream (cover art does not
 * count), {@code audio} the first audio stream; either may be null, not both. {@code audioStreams}
 * are all the decodable audio streams in file order (the first is {@code audio}). {@code subtitles}
 * are the text subtitle streams (bitmap ones are left out: they cannot become WebVTT).
 */
public record MediaInfo(String format, double durationSeconds, VideoStream video, AudioStream audio,
		java.util.List<SubtitleStream> subtitles, java.util.List<AudioStream> audioStreams) {

	public MediaInfo {
		subtitles = subtitles == null ? java.util.List.of() : java.util.List.copyOf(subtitles);
		audioStreams = audioStreams == null || audioStreams.isEmpty() ? audio == null ? java.util.List.of()
				: java.util.List.of(audio) : java.util.List.copyOf(audioStreams);
	}

	public MediaInfo(String format, double durationSeconds, VideoStream video, AudioStream audio,
			java.util.List<SubtitleStream> subtitles) {
		this(format, durationSeconds, video, audio, subtitles, null);
	}

	public MediaInfo(String format, double durationSeconds, VideoStream video, AudioStream audio) {
		this(format, durationSeconds, video, audio, java.util.List.of());
	}

	/** The same file measured to last {@code seconds}. */
	public MediaInfo withDuration(double seconds) {
		return new MediaInfo(format, seconds, video, audio, subtitles, audioStreams);
	}

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

	/**
	 * An audio stream with the container's {@code language} and {@code title} tags (or, lacking a
	 * title, its {@code handler_name}) as the file states them, either may be null: attacker text,
	 * to be checked before it goes anywhere.
	 */
	public record AudioStream(int index, String codec, int channels, int sampleRate, String language, String title) {

		public AudioStream(int index, String codec, int channels, int sampleRate) {
			this(index, codec, channels, sampleRate, null, null);
		}
	}

	/**
	 * A text subtitle stream: its index, codec ({@code subrip, ass, ssa, mov_text, webvtt, text}),
	 * and the container's {@code language} (usually ISO 639-2) and {@code title} tags, either may be null.
	 */
	public record SubtitleStream(int index, String codec, String language, String title) {

		/** The subtitle codecs that are text and that ffmpeg converts to WebVTT. */
		public static final java.util.Set<String> TEXT_CODECS = java.util.Set.of("subrip", "srt", "ass", "ssa", "mov_text",
				"webvtt", "text");
	}
}
