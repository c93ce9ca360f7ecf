package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import java.util.function.DoubleConsumer;

/** Writes ffmpeg's progress into the video's {@code progress}, at most once a second and only when it moved. */
final class ProgressReporter implements DoubleConsumer {

	private final VideoCatalog catalog;
	private final String videoId;
	private int lastPercent = -1;
	private long lastWrite;

	ProgressReporter(VideoCatalog catalog, String videoId) {
		this.catalog = catalog;
		this.videoId = videoId;
	}

	@Override
	public synchronized void accept(double fraction) {
		// 100 is READY's: the encode may be done but the files are not stored yet.
		int percent = (int) Math.min(99, Math.floor(fraction * 100));
		long now = System.nanoTime();
		if (percent > lastPercent && now - lastWrite > 1_000_000_000L) {
			lastPercent = percent;
			lastWrite = now;
			try {
				catalog.updateProgress(videoId, percent);
			}
			catch (RuntimeException e) {
				// Progress is best effort; the job goes on.
			}
		}
	}
}
