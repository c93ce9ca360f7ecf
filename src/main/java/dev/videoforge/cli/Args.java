package dev.videoforge.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: {@code --name value}, {@code --name=value}, short aliases
 * ({@code -t value}), boolean flags, positionals, and {@code --} to end the options. Every
 * command also takes {@code --server URL} and {@code -h/--help}.
 */
final class Args {

	/** What a command accepts: options that take a value, flags, short aliases, how many positionals. */
	record Spec(Set<String> values, Set<String> flags, Map<String, String> aliases, int minPositionals,
			int maxPositionals) {

		Spec {
			values = union(values, Set.of("--server"));
			flags = union(flags, Set.of("--help"));
			aliases = new HashMap<>(aliases);
			aliases.put("-h", "--help");
		}

		private static Set<String> union(Set<String> a, Set<String> b) {
			Set<String> all = new HashSet<>(a);
			all.addAll(b);
			return Set.copyOf(all);
		}
	}

	private final Map<String, String> values = new HashMap<>();
	private final Set<String> flags = new HashSet<>();
	private final List<String> positionals = new ArrayList<>();

	private Args() {
	}

	/** Parses; a wrong argument is a usage error naming the command. */
	static Args parse(String command, Spec spec, List<String> raw) {
		Args args = new Args();
		boolean optionsEnded = false;
		for (int i = 0; i < raw.size(); i++) {
			String arg = raw.get(i);
			if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
				args.positionals.add(arg);
				continue;
			}
			if (arg.equals("--")) {
				optionsEnded = true;
				continue;
			}
			String name = arg;
			String value = null;
			int eq = arg.indexOf('=');
			if (arg.startsWith("--") && eq > 0) {
				name = arg.substring(0, eq);
				value = arg.substring(eq + 1);
			}
			name = spec.aliases().getOrDefault(name, name);
			if (spec.flags().contains(name)) {
				if (value != null) {
					throw CliException.usage(name + " takes no value (see 'videoforge " + command + " --help')");
				}
				args.flags.add(name);
			}
			else if (spec.values().contains(name)) {
				if (value == null) {
					if (i + 1 >= raw.size()) {
						throw CliException.usage(name + " needs a value (see 'videoforge " + command + " --help')");
					}
					value = raw.get(++i);
				}
				args.values.put(name, value);
			}
			else {
				throw CliException.usage("unknown option " + name + " for '" + command + "' (see 'videoforge " + command
						+ " --help')");
			}
		}
		if (args.flag("--help")) {
			return args;
		}
		if (args.positionals.size() < spec.minPositionals()) {
			throw CliException.usage("'" + command + "' needs more arguments (see 'videoforge " + command + " --help')");
		}
		if (args.positionals.size() > spec.maxPositionals()) {
			throw CliException.usage("'" + command + "' got an unexpected argument '"
					+ args.positionals.get(spec.maxPositionals()) + "' (see 'videoforge " + command + " --help')");
		}
		return args;
	}

	/** The option's value, or null when it was not given. */
	String value(String name) {
		return values.get(name);
	}

	boolean flag(String name) {
		return flags.contains(name);
	}

	List<String> positionals() {
		return positionals;
	}
}
