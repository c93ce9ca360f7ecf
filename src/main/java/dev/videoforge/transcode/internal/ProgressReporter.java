package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

/**
 * Turns ffmpeg's progress into a percent and hands it on at most once a second, only when it
 * moved, never 100 (READY's: the encode may be done but the files are not stored yet). Best effort:
 * a failed write is dropped and the job goes on.
 */
final class ProgressReporter implements DoubleConsumer {

	private final IntConsumer write;
	private int lastPercent = -1;
	private long lastWrite;

	ProgressReporter(IntConsumer write) {
		this.write = write;
	}

	/** The single pass's: the run's percent is the video's. */
	ProgressReporter(VideoCatalog catalog, String videoId) {
		this(percent -> catalog.updateProgress(videoId, percent));
	}

	@Override
	public synchronized void accept(double fraction) {
		int percent = (int) Math.min(99, Math.floor(fraction * 100));
		long now = System.nanoTime();
		if (percent > lastPercent && now - lastWrite > 1_000_000_000L) {
			lastPercent = percent;
			lastWrite = now;
			try {
				write.accept(percent);
			}
			catch (RuntimeException e) {
				// Progress is best effort; the job goes on.
			}
		}
	}
}
