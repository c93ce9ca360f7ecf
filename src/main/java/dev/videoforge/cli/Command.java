package dev.videoforge.cli;

import java.io.IOException;

/** One subcommand of {@code videoforge}. */
interface Command {

	String name();

	/** One line for the overview. */
	String summary();

	/** The text of {@code videoforge <name> --help}. */
	String help();

	Args.Spec spec();

	/** Runs; returns the exit code (failures may also be thrown as {@link CliException}). */
	int run(Args args, Context context) throws IOException, InterruptedException;
}
