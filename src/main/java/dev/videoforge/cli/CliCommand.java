package dev.videoforge.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * One subcommand of {@code videoforge}: picocli fills its options and arguments, then
 * {@link #run(Context)} works with the chosen server. Every command takes {@code --server URL}
 * and {@code -h/--help} ({@link CommonOptions}).
 */
abstract class CliCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@ParentCommand
	Cli.Root root;

	@Override
	public final Integer call() throws IOException, InterruptedException {
		return run(root.context(common.server));
	}

	/** Runs; returns the exit code (failures may also be thrown as {@link CliException}). */
	abstract int run(Context context) throws IOException, InterruptedException;
}
