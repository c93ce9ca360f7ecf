package dev.videoforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * The {@code videoforge} command line: {@code login}, {@code logout}, {@code upload}, {@code ls},
 * {@code status}, {@code rm}, and {@code completion} (a shell completion script). It is a plain
 * HTTP client of a VideoForge server (API.md) and starts no Spring:
 * {@code VideoForgeApplication.main} hands these commands over before Spring is touched. picocli
 * parses the arguments and writes the help from the commands' annotations; the messages of wrong
 * usage and of failures, and the exit codes, are this class's.
 */
public final class Cli {

	static final int OK = 0;
	static final int ERROR = 1;
	static final int USAGE = 2;
	static final int AUTH = 4;
	static final int INTERRUPTED = 130;

	static final String DEFAULT_SERVER = "http://localhost:8080";

	private static final Set<String> NAMES = Set.of("login", "logout", "upload", "ls", "status", "rm", "completion");

	private final Terminal term;

	Cli(Terminal term) {
		this.term = term;
	}

	/** Whether these arguments are a command line command (rather than the server's arguments). */
	public static boolean isCommand(String[] args) {
		return args.length > 0 && (NAMES.contains(args[0]) || args[0].equals("--version"));
	}

	public static void main(String[] args) {
		int code = new Cli(Terminal.system()).run(args);
		System.out.flush();
		System.exit(code);
	}

	/** The top of the command line: no command of its own, its help lists the commands. */
	@Command(name = "videoforge", separator = " ", mixinStandardHelpOptions = true, versionProvider = Version.class,
			description = "the command line of a VideoForge server",
			subcommands = { LoginCommand.class, LogoutCommand.class, UploadCommand.class, ListCommand.class,
					StatusCommand.class, RemoveCommand.class },
			footer = { "", "Run 'videoforge <command> --help' for a command's options.", "", "Environment:",
					"  VIDEOFORGE_SERVER      the server, when --server is not given",
					"  VIDEOFORGE_TOKEN       an access token to use instead of the stored login",
					"  VIDEOFORGE_PASSWORD    the password for 'login' (scripts; prefer --password-stdin)",
					"  VIDEOFORGE_CONFIG_DIR  where logins and unfinished uploads are kept",
					"                         (default: $XDG_CONFIG_HOME/videoforge, else ~/.config/videoforge)", "",
					"Exit codes: 0 done, 1 failed, 2 wrong usage, 4 not logged in or session ended, 130 interrupted." })
	static final class Root implements java.util.concurrent.Callable<Integer> {

		final Terminal term;
		/** The server the running command talks to (for the messages of failures). */
		String server = DEFAULT_SERVER;

		@picocli.CommandLine.Spec
		picocli.CommandLine.Model.CommandSpec spec;

		Root(Terminal term) {
			this.term = term;
		}

		/** {@code videoforge} alone: the overview, as a usage error. */
		@Override
		public Integer call() {
			spec.commandLine().usage(spec.commandLine().getOut());
			return USAGE;
		}

		/** What a command works with: the terminal, the server ({@code --server}, else the environment's, else local). */
		Context context(String given) {
			server = server(given);
			return new Context(term, server, ConfigDir.of(term));
		}

		/** {@code --server}, else {@code VIDEOFORGE_SERVER}, else localhost:8080; without a trailing slash. */
		private String server(String given) {
			String from = "--server";
			if (given == null) {
				given = term.env("VIDEOFORGE_SERVER");
				from = "VIDEOFORGE_SERVER";
			}
			if (given == null) {
				return DEFAULT_SERVER;
			}
			String url = given.strip();
			while (url.endsWith("/")) {
				url = url.substring(0, url.length() - 1);
			}
			try {
				URI uri = new URI(url);
				String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
				if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
						|| uri.getFragment() != null) {
					throw new URISyntaxException(url, "not an http(s) URL");
				}
				return url;
			}
			catch (URISyntaxException e) {
				throw CliException.usage(from + " must be a URL such as http://localhost:8080 or https://videos.example.com, not '"
						+ given + "'");
			}
		}
	}

	/** {@code --version}: the jar's version. */
	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			return new String[] { userAgent() };
		}
	}

	/** The command line, wired to this terminal, its messages and exit codes. */
	CommandLine commandLine() {
		Root root = new Root(term);
		CommandLine line = new CommandLine(root);
		AutoComplete.GenerateCompletion completion = new AutoComplete.GenerateCompletion();
		line.addSubcommand("completion", completion);
		line.getSubcommands().get("completion").getCommandSpec().usageMessage()
				.description("print a bash/zsh completion script: source <(videoforge completion)");
		for (CommandLine command : line.getSubcommands().values()) {
			command.getCommandSpec().usageMessage().parameterListHeading("%n").optionListHeading("%nOptions:%n");
		}
		// As the hand-written parser did: the last of a repeated option wins, "@name" is a file name
		// (not a file of arguments), and an option's value may start with "-" (a title "-1").
		line.setOverwrittenOptionsAllowed(true);
		line.setExpandAtFiles(false);
		line.setAllowOptionsAsOptionParameters(true);
		line.setOut(new PrintWriter(term.out, true));
		line.setErr(new PrintWriter(term.err, true));
		line.setParameterExceptionHandler((e, args) -> {
			term.err.println("videoforge: " + usageProblem(e));
			if (e.getCommandLine() == line) {
				term.err.println();
				line.usage(term.err);
			}
			return USAGE;
		});
		line.setExecutionExceptionHandler((e, commandLine, parsed) -> failure(e, root.server));
		return line;
	}

	int run(String[] argv) {
		return commandLine().execute(arguments(argv));
	}

	/**
	 * The arguments as picocli reads them: {@code --name=value} as {@code --name value}. The help
	 * shows options as {@code --name VALUE} (separator " "), and people and scripts write both.
	 */
	static String[] arguments(String[] argv) {
		List<String> split = new java.util.ArrayList<>();
		boolean optionsEnded = false;
		for (String arg : argv) {
			int eq = arg.indexOf('=');
			if (!optionsEnded && arg.startsWith("--") && eq > 2) {
				split.add(arg.substring(0, eq));
				split.add(arg.substring(eq + 1));
			}
			else {
				optionsEnded |= arg.equals("--");
				split.add(arg);
			}
		}
		return split.toArray(String[]::new);
	}

	/** What was wrong with the arguments, in this command line's words. */
	static String usageProblem(ParameterException e) {
		CommandLine command = e.getCommandLine();
		boolean top = command.getParent() == null;
		String name = command.getCommandName();
		String see = top ? "" : " (see 'videoforge " + name + " --help')";
		if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
			String first = unmatched.getUnmatched().get(0);
			if (top) {
				return "unknown command '" + first + "'";
			}
			if (first.startsWith("-") && !first.equals("-")) {
				int eq = first.indexOf('=');
				return "unknown option " + (first.startsWith("--") && eq > 0 ? first.substring(0, eq) : first) + " for '" + name
						+ "'" + see;
			}
			return "'" + name + "' got an unexpected argument '" + first + "'" + see;
		}
		if (e instanceof CommandLine.MissingParameterException missing) {
			List<ArgSpec> specs = missing.getMissing();
			if (!specs.isEmpty() && specs.get(0) instanceof OptionSpec option) {
				return option.longestName() + " needs a value" + see;
			}
			return "'" + name + "' needs more arguments" + see;
		}
		return e.getMessage() + see;
	}

	/** A command's failure as a message on stderr and an exit code. */
	private int failure(Exception e, String server) {
		if (e instanceof CliException cli) {
			term.err.println("videoforge: " + cli.getMessage());
			return cli.exitCode();
		}
		if (e instanceof HttpConnectTimeoutException) {
			term.err.println("videoforge: timed out connecting to " + server);
			return ERROR;
		}
		if (e instanceof HttpTimeoutException) {
			term.err.println("videoforge: " + server + " did not answer in time");
			return ERROR;
		}
		if (e instanceof ConnectException connect) {
			term.err.println("videoforge: cannot reach " + server + reason(connect) + ". Is VideoForge running there? "
					+ "Choose the server with --server URL or VIDEOFORGE_SERVER.");
			return ERROR;
		}
		if (e instanceof IOException io) {
			term.err.println("videoforge: the connection to " + server + " failed" + reason(io));
			return ERROR;
		}
		if (e instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return INTERRUPTED;
		}
		term.err.println("videoforge: " + e);
		return ERROR;
	}

	private static String reason(IOException e) {
		Throwable cause = e;
		while (cause.getCause() != null && (cause.getMessage() == null || cause.getMessage().isBlank())) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		if (cause instanceof java.nio.channels.UnresolvedAddressException) {
			return " (unknown host)";
		}
		return message == null || message.isBlank() ? " (" + cause.getClass().getSimpleName() + ")" : " (" + message + ")";
	}

	static String userAgent() {
		String version = Cli.class.getPackage().getImplementationVersion();
		return "videoforge-cli/" + (version == null ? "dev" : version) + " Java/" + Runtime.version().feature();
	}
}
