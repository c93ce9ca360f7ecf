package dev.videoforge.transcode.internal;

import dev.videoforge.media.MediaInfo;
import dev.videoforge.transcode.TranscodeSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the ladder from the source: standard qualities at or below the source's short side (a
 * portrait 1080x1920 phone video is "1080p"), never upscaling; a quality at the source's own size
 * when it sits well above the nearest standard one; a single quality at source size for tiny videos.
 */
class LadderPlanner {

	/** A standard quality: its short side and video bitrate in kbit/s for about 30 fps H.264. */
	record StandardQuality(int shortSide, int kbps) {
	}

	static final List<StandardQuality> LADDER = List.of(new StandardQuality(2160, 16000), new StandardQuality(1440, 9000),
			new StandardQuality(1080, 5000), new StandardQuality(720, 2800), new StandardQuality(480, 1400), new StandardQuality(360, 800),
			new StandardQuality(240, 400));

	/** A source this much taller than its top standard quality also gets a quality at its own size. */
	static final double NATIVE_QUALITY_MARGIN = 1.15;

	private final TranscodeSettings settings;

	LadderPlanner(TranscodeSettings settings) {
		this.settings = settings;
	}

	Plan plan(MediaInfo media) {
		double duration = media.durationSeconds();
		List<Plan.AudioTrack> audio = AudioTrackNames.tracks(media, settings.maxAudioTracks());
		if (!media.hasVideo()) {
			return new Plan(null, audio, duration);
		}
		MediaInfo.VideoStream video = media.video();
		int width = video.displayWidth();
		int height = video.displayHeight();
		boolean landscape = width >= height;
		int shortSide = Math.min(width, height);
		int cap = Math.min(shortSide, settings.maxHeight());

		List<Plan.Quality> qualities = new ArrayList<>();
		for (StandardQuality quality : LADDER) {
			if (quality.shortSide() <= cap) {
				qualities.add(quality(quality.shortSide(), quality.kbps(), width, height, landscape));
			}
		}
		int top = qualities.isEmpty() ? 0 : standardShortSide(qualities.get(0));
		int nativeShort = cap % 2 == 0 ? cap : cap - 1;
		if (qualities.isEmpty() || nativeShort >= top * NATIVE_QUALITY_MARGIN) {
			qualities.add(0, quality(nativeShort, bitrateFor(nativeShort), width, height, landscape));
		}

		// A still picture in a podcast file can claim one frame an hour: at least 1 fps keeps the
		// keyframe grid and the encoders sane.
		double fps = Math.max(1, Math.min(video.frameRate() > 0 ? video.frameRate() : 30, settings.maxFrameRate()));
		FrameRate frameRate = FrameRate.of(fps);
		// Rounded up: a GOP of at least a segment's length, so the HLS muxer cuts at every keyframe
		// (29.833 fps: 120 frames, 4.02 s; 119 would be 3.99 s, and make segments of two GOPs).
		int gop = Math.max(1, (int) Math.ceil(FrameRate.of(fps).value() * settings.segmentSeconds() - 1e-6));

		Plan.Quality size = qualities.stream().filter(r -> Math.min(r.width(), r.height()) <= 720).findFirst()
				.orElse(qualities.get(qualities.size() - 1));
		Plan.Poster poster = new Plan.Poster(Math.min(duration * 0.2, 5.0), size.width(), size.height());

		return new Plan(new Plan.Pictures(List.copyOf(qualities), video.index(), frameRate, gop, video.interlaced(), video.hdr(),
				poster, storyboard(duration, width, height)), audio, duration);
	}

	private static int standardShortSide(Plan.Quality quality) {
		return Math.min(quality.width(), quality.height());
	}

	private static Plan.Quality quality(int shortSide, int kbps, int width, int height, boolean landscape) {
		int w;
		int h;
		if (landscape) {
			h = shortSide;
			w = even((long) width * shortSide / (double) height);
		}
		else {
			w = shortSide;
			h = even((long) height * shortSide / (double) width);
		}
		return new Plan.Quality(shortSide + "p", w, h, kbps);
	}

	/** Bitrate of a non-standard quality: 1080p's rate scaled by pixel count to the power 0.75. */
	static int bitrateFor(int shortSide) {
		double pixels = shortSide * (shortSide * 16.0 / 9.0);
		double ratio = pixels / (1080 * 1920.0);
		return Math.max(150, (int) Math.round(5000 * Math.pow(ratio, 0.75) / 50) * 50);
	}

	/** The nearest even number, at least 2 (H.264 in 4:2:0 needs even sides). */
	static int even(double value) {
		return Math.max(2, 2 * (int) Math.round(value / 2));
	}

	/** At most 100 thumbnails, at least one second apart, 160 px on the long side. */
	static Plan.Storyboard storyboard(double duration, int width, int height) {
		double interval = Math.max(1.0, Math.ceil(duration / 100.0));
		int count = Math.max(1, (int) Math.ceil(duration / interval));
		int columns = Math.min(10, count);
		// One spare cell: the fps filter may emit one frame more than the count.
		int rows = (int) Math.ceil((count + 1) / (double) columns);
		int w;
		int h;
		if (width >= height) {
			w = 160;
			h = even(160.0 * height / width);
		}
		else {
			h = 160;
			w = even(160.0 * width / height);
		}
		return new Plan.Storyboard(interval, count, columns, rows, w, h);
	}
}
