package dev.videoforge.cli;

/** A failure to report in one sentence on stderr, ending the command with {@link #exitCode()}. */
final class CliException extends RuntimeException {

	private final int exitCode;

	CliException(String message, int exitCode) {
		super(message, null, false, false);
		this.exitCode = exitCode;
	}

	/** Wrong use of the command line: exit code 2. */
	static CliException usage(String message) {
		return new CliException(message, Cli.USAGE);
	}

	/** Something failed: exit code 1. */
	static CliException failed(String message) {
		return new CliException(message, Cli.ERROR);
	}

	/** Not logged in, or the session ended: exit code 4. */
	static CliException auth(String message) {
		return new CliException(message, Cli.AUTH);
	}

	int exitCode() {
		return exitCode;
	}
}
