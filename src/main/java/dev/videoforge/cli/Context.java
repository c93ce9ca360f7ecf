package dev.videoforge.cli;

/** What every command works with: the terminal, the chosen server, the config directory, the API. */
final class Context {

	final Terminal term;
	final String server;
	final ConfigDir config;
	final Credentials credentials;
	private Api api;

	Context(Terminal term, String server, ConfigDir config) {
		this.term = term;
		this.server = server;
		this.config = config;
		this.credentials = new Credentials(config);
	}

	Api api() {
		if (api == null) {
			String warning = Api.plainHttpWarning(server);
			if (warning != null) {
				term.err.println("videoforge: " + warning);
			}
			api = new Api(server, credentials, term.env("VIDEOFORGE_TOKEN"), loginHint());
		}
		return api;
	}

	/** What to run to log in to this server. */
	String loginHint() {
		return "run 'videoforge login" + (server.equals(Cli.DEFAULT_SERVER) ? "" : " --server " + server) + "'";
	}

	/** The page of a video in the web app. */
	String watchUrl(String videoId) {
		return server + "/watch/" + videoId;
	}

	/** A status line on stderr (not for -q). */
	void say(String message) {
		term.err.println("videoforge: " + message);
	}
}
