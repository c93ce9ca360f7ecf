package dev.videoforge.cli;

import picocli.CommandLine.Option;

/** The options of every command. */
final class CommonOptions {

	@Option(names = "--server", paramLabel = "URL",
			description = "the VideoForge server (default: $VIDEOFORGE_SERVER, else http://localhost:8080)")
	String server;

	@Option(names = { "-h", "--help" }, usageHelp = true, description = "this help")
	boolean help;
}
