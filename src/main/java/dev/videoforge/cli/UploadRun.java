package dev.videoforge.cli;

/**
 * What an upload shows while it runs, whichever way its bytes go: the progress bar (none when
 * quiet), and on Ctrl-C or a kill that lets hooks run, how to resume it. Closing ends both.
 */
final class UploadRun implements AutoCloseable {

	/** The bar, or null when quiet. */
	final Progress progress;
	private final Thread onInterrupt;

	UploadRun(Terminal term, boolean quiet, long size, long startedAt, String resumeUrl) {
		this.progress = quiet ? null : new Progress(term.err, term.redrawable(), Progress.Kind.BYTES, "upload", size, startedAt);
		this.onInterrupt = new Thread(() -> {
			if (progress != null) {
				progress.end();
			}
			term.err.println("videoforge: upload interrupted; run the same command again to resume it (" + resumeUrl + ")");
		});
		Runtime.getRuntime().addShutdownHook(onInterrupt);
		if (progress != null) {
			progress.start();
		}
	}

	/** Every byte is in: the bar shows it whole. */
	void finish() {
		if (progress != null) {
			progress.finish();
		}
	}

	@Override
	public void close() {
		if (progress != null) {
			progress.end();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(onInterrupt);
		}
		catch (IllegalStateException e) {
			// shutting down: the hook says what happened
		}
	}
}
