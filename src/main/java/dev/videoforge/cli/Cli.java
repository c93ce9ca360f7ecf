package dev.videoforge.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code videoforge} command line: {@code login}, {@code logout}, {@code upload}, {@code ls},
 * {@code status}, {@code rm}. It is a plain HTTP client of a VideoForge server (API.md) and
 * starts no Spring: {@code VideoForgeApplication.main} hands these commands over before Spring
 * is touched.
 */
public final class Cli {

	static final int OK = 0;
	static final int ERROR = 1;
	static final int USAGE = 2;
	static final int AUTH = 4;
	static final int INTERRUPTED = 130;

	static final String DEFAULT_SERVER = "http://localhost:8080";

	private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

	static {
		for (Command command : List.of(new LoginCommand(), new LogoutCommand(), new UploadCommand(), new ListCommand(),
				new StatusCommand(), new RemoveCommand())) {
			COMMANDS.put(command.name(), command);
		}
	}

	private final Terminal term;

	Cli(Terminal term) {
		this.term = term;
	}

	/** Whether these arguments are a command line command (rather than the server's arguments). */
	public static boolean isCommand(String[] args) {
		return args.length > 0 && COMMANDS.containsKey(args[0]);
	}

	public static void main(String[] args) {
		int code = new Cli(Terminal.system()).run(args);
		System.out.flush();
		System.exit(code);
	}

	int run(String[] argv) {
		if (argv.length == 0 || List.of("help", "-h", "--help").contains(argv[0])) {
			term.out.print(overview());
			return argv.length == 0 ? USAGE : OK;
		}
		Command command = COMMANDS.get(argv[0]);
		if (command == null) {
			term.err.println("videoforge: unknown command '" + argv[0] + "'\n\n" + overview());
			return USAGE;
		}
		String server = DEFAULT_SERVER;
		try {
			Args args = Args.parse(command.name(), command.spec(), Arrays.asList(argv).subList(1, argv.length));
			if (args.flag("--help")) {
				term.out.print(command.help() + COMMON_HELP);
				return OK;
			}
			server = server(args);
			return command.run(args, new Context(term, server, ConfigDir.of(term)));
		}
		catch (CliException e) {
			term.err.println("videoforge: " + e.getMessage());
			return e.exitCode();
		}
		catch (HttpConnectTimeoutException e) {
			term.err.println("videoforge: timed out connecting to " + server);
			return ERROR;
		}
		catch (HttpTimeoutException e) {
			term.err.println("videoforge: " + server + " did not answer in time");
			return ERROR;
		}
		catch (ConnectException e) {
			term.err.println("videoforge: cannot reach " + server + reason(e) + ". Is VideoForge running there? "
					+ "Choose the server with --server URL or VIDEOFORGE_SERVER.");
			return ERROR;
		}
		catch (IOException e) {
			term.err.println("videoforge: the connection to " + server + " failed" + reason(e));
			return ERROR;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return INTERRUPTED;
		}
	}

	/** {@code --server}, else {@code VIDEOFORGE_SERVER}, else localhost:8080; without a trailing slash. */
	private String server(Args args) {
		String given = args.value("--server");
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

	private static String overview() {
		StringBuilder text = new StringBuilder("""
				videoforge: the command line of a VideoForge server

				Usage: videoforge <command> [options]

				Commands:
				""");
		COMMANDS.values().forEach(c -> text.append(String.format(Locale.ROOT, "  %-8s %s%n", c.name(), c.summary())));
		text.append("""

				Run 'videoforge <command> --help' for a command's options.
				""").append(COMMON_HELP);
		return text.toString();
	}

	private static final String COMMON_HELP = """

			Every command takes:
			  --server URL   the VideoForge server (default: $VIDEOFORGE_SERVER, else http://localhost:8080)
			  -h, --help     this help

			Environment:
			  VIDEOFORGE_SERVER      the server, when --server is not given
			  VIDEOFORGE_TOKEN       an access token to use instead of the stored login
			  VIDEOFORGE_PASSWORD    the password for 'login' (scripts; prefer --password-stdin)
			  VIDEOFORGE_CONFIG_DIR  where logins and unfinished uploads are kept
			                         (default: $XDG_CONFIG_HOME/videoforge, else ~/.config/videoforge)

			Exit codes: 0 done, 1 failed, 2 wrong usage, 4 not logged in or session ended, 130 interrupted.
			""";
}
