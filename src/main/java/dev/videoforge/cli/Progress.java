package dev.videoforge.cli;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A progress line on stderr: percent, and for bytes also the amounts, speed and ETA. On a
 * terminal it is one line redrawn in place with {@code \r} (at most ten times a second);
 * otherwise (a log, a pipe) a plain line at every tenth of the way or every 10 seconds.
 */
final class Progress {

	enum Kind {
		BYTES, PERCENT
	}

	private static final int BAR_WIDTH = 24;
	private static final long REDRAW_NANOS = 100_000_000L;
	private static final long PLAIN_NANOS = 10_000_000_000L;
	private static final long WINDOW_NANOS = 5_000_000_000L;

	private final PrintStream err;
	private final boolean redraw;
	private final Kind kind;
	private final long total;
	/** (time, amount) samples of the last few seconds, for the current speed. */
	private final ArrayDeque<long[]> samples = new ArrayDeque<>();
	private String label;
	private long done;
	private long lastDraw;
	private int lastPlainTenth = -1;
	private boolean lineOpen;
	private boolean finished;

	Progress(PrintStream err, boolean redraw, Kind kind, String label, long total, long done) {
		this.err = err;
		this.redraw = redraw;
		this.kind = kind;
		this.label = label;
		this.total = Math.max(1, total);
		this.done = done;
		samples.add(new long[] { System.nanoTime(), done });
		if (!redraw) {
			lastPlainTenth = tenth();
		}
	}

	/** Draws the starting point. */
	synchronized void start() {
		draw(System.nanoTime(), true);
	}

	synchronized void update(long amount) {
		update(label, amount);
	}

	/** New amount and label (QUEUED, PROCESSING); a new label is always shown, also in plain output. */
	synchronized void update(String newLabel, long amount) {
		if (finished) {
			return;
		}
		long now = System.nanoTime();
		boolean relabelled = !newLabel.equals(label);
		label = newLabel;
		done = Math.max(0, Math.min(amount, total));
		samples.add(new long[] { now, done });
		while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
			samples.removeFirst();
		}
		draw(now, relabelled);
	}

	/** Shows the final state and ends the line. */
	synchronized void finish() {
		if (finished) {
			return;
		}
		if (redraw || tenth() != lastPlainTenth) {
			draw(System.nanoTime(), true);
		}
		end();
		finished = true;
	}

	/** Ends a line drawn in place, so that a message can follow on its own line. */
	synchronized void end() {
		if (lineOpen) {
			err.println();
			lineOpen = false;
		}
	}

	private void draw(long now, boolean force) {
		if (redraw) {
			if (!force && now - lastDraw < REDRAW_NANOS) {
				return;
			}
			err.print("\r" + line(now, true) + "\033[K");
			err.flush();
			lineOpen = true;
		}
		else {
			int tenth = tenth();
			if (!force && tenth == lastPlainTenth && now - lastDraw < PLAIN_NANOS) {
				return;
			}
			lastPlainTenth = tenth;
			err.println(line(now, false));
		}
		lastDraw = now;
	}

	private int tenth() {
		return (int) (done * 10 / total);
	}

	String line(long now, boolean bar) {
		StringBuilder line = new StringBuilder(label);
		int percent = (int) (done * 100 / total);
		if (bar) {
			int filled = (int) (done * BAR_WIDTH / total);
			line.append(" [").append("=".repeat(filled));
			if (filled < BAR_WIDTH) {
				line.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
			}
			line.append(']');
		}
		line.append(String.format(Locale.ROOT, " %3d%%", percent));
		double rate = rate(now);
		if (kind == Kind.BYTES) {
			line.append("  ").append(Units.bytes(done)).append(" / ").append(Units.bytes(total));
			line.append("  ").append(rate > 0 ? Units.bytes(rate) + "/s" : "--/s");
		}
		if (done < total) {
			line.append("  ETA ").append(rate > 0 ? Units.clock(Math.round((total - done) / rate)) : "--:--");
		}
		return line.toString();
	}

	/** Amount per second over the last few seconds; 0 while unknown. */
	private double rate(long now) {
		long[] first = samples.peekFirst();
		double seconds = (now - first[0]) / 1e9;
		return seconds < 0.5 ? 0 : (done - first[1]) / seconds;
	}
}
