package dev.videoforge.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The process's streams, environment and (when there is one) the interactive console. */
final class Terminal {

	final PrintStream out;
	final PrintStream err;
	private final InputStream in;
	private final Map<String, String> env;
	private final Console console;

	Terminal(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Console console) {
		this.out = out;
		this.err = err;
		this.in = in;
		this.env = env;
		this.console = console;
	}

	static Terminal system() {
		Console console = System.console();
		return new Terminal(System.out, System.err, System.in, System.getenv(), isTerminal(console) ? console : null);
	}

	/** An environment variable, or null when it is unset or blank. */
	String env(String name) {
		String value = env.get(name);
		return value == null || value.isBlank() ? null : value;
	}

	Map<String, String> environment() {
		return env;
	}

	boolean interactive() {
		return console != null;
	}

	/**
	 * Whether progress can be redrawn in place with {@code \r}. Java cannot ask about stderr
	 * alone; an interactive console (stdin and stdout on a terminal) that is not "dumb" is the
	 * best sign there is.
	 */
	boolean redrawable() {
		return console != null && !"dumb".equals(env.get("TERM"));
	}

	/** Asks for a line on the console; {@code instead} says what to pass when there is no console. */
	String prompt(String label, String instead) {
		if (console == null) {
			throw CliException.usage("no terminal to ask for " + instead);
		}
		String line = console.readLine("%s", label);
		if (line == null) {
			throw CliException.usage("no answer for " + label.strip());
		}
		return line.strip();
	}

	/** Asks for a secret on the console without echoing it. */
	char[] promptHidden(String label, String instead) {
		if (console == null) {
			throw CliException.usage("no terminal to ask for " + instead);
		}
		char[] secret = console.readPassword("%s", label);
		if (secret == null) {
			throw CliException.usage("no answer for " + label.strip());
		}
		return secret;
	}

	/** The first line of stdin, without its line ending (for --password-stdin). */
	String readStdinLine() {
		try {
			String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
			if (line == null) {
				throw CliException.usage("stdin was empty");
			}
			return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
		}
		catch (IOException e) {
			throw CliException.failed("cannot read stdin: " + e.getMessage());
		}
	}

	/**
	 * JDK 22 and later hand out a console even when redirected and say so with
	 * {@code Console.isTerminal()}; on 21 a console exists only on a terminal. This runs on both.
	 */
	private static boolean isTerminal(Console console) {
		if (console == null) {
			return false;
		}
		try {
			return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
		}
		catch (ReflectiveOperationException e) {
			return true;
		}
	}
}
