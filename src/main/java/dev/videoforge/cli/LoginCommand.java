package dev.videoforge.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code videoforge login}: password, then the two-factor code when the account has MFA on. */
@Command(name = "login", separator = " ",
		description = { "log in to a server (asks for username, password and, with MFA, a code)", "",
				"Logs in and keeps the tokens for this server in credentials.json (mode 0600) in the config "
				+ "directory. The access token is refreshed when it expires; a new login replaces the stored one." },
		footer = { "", "Example:",
				"  echo \"$PASSWORD\" | videoforge login --server https://videos.example.com -u alice --password-stdin" })
final class LoginCommand extends CliCommand {

	@Option(names = { "-u", "--username" }, paramLabel = "NAME", description = "the username (asked for when not given)")
	String username;

	@Option(names = "--password-stdin", description = "read the password from the first line of stdin "
			+ "(else $VIDEOFORGE_PASSWORD, else asked for without echo)")
	boolean passwordStdin;

	@Option(names = "--code", paramLabel = "CODE", description = "the two-factor code (6 digits from the authenticator "
			+ "app, or a recovery code) for an account with MFA on (asked for when needed)")
	String code;

	private static final int CODE_ATTEMPTS = 3;

	@Override
	int run(Context context) throws IOException, InterruptedException {
		Terminal term = context.term;
		Api api = context.api();
		String username = this.username;
		if (username == null) {
			username = term.prompt("Username: ", "the username: pass --username");
		}
		String password;
		if (passwordStdin) {
			password = term.readStdinLine();
		}
		else if (term.env("VIDEOFORGE_PASSWORD") != null) {
			password = term.env("VIDEOFORGE_PASSWORD");
		}
		else {
			password = new String(term.promptHidden("Password for " + username + " on " + context.server + ": ",
					"the password: pass --password-stdin or set VIDEOFORGE_PASSWORD"));
		}
		HttpResponse<String> response = api.send(api.request("/api/auth/login").header("Content-Type", "application/json")
				.POST(Api.json(Map.of("username", username, "password", password))));
		if (response.statusCode() != 200) {
			throw new CliException("login failed: " + Api.errorMessage(response) + retryAfter(response), Cli.ERROR);
		}
		JsonNode tokens = api.parse(response);
		boolean mfa = tokens.path("mfaRequired").asBoolean(false);
		if (mfa) {
			tokens = verify(context, Json.text(tokens, "mfaToken"));
		}
		String accessToken = Json.text(tokens, "accessToken");
		if (accessToken == null) {
			throw CliException.failed("login failed: the server's answer has no access token");
		}
		HttpResponse<String> me = api.send(api.request("/api/auth/me").header("Authorization", "Bearer " + accessToken));
		if (me.statusCode() != 200) {
			throw api.error("logged in, but cannot read the account", me);
		}
		JsonNode account = api.parse(me);
		context.credentials.put(context.server, new Credentials.Session(Json.text(account, "username"),
				Json.text(account, "id"), accessToken, Instant.now().plusSeconds(tokens.path("expiresIn").asLong(900)),
				Json.text(tokens, "refreshToken")));
		context.say("logged in to " + context.server + " as " + Json.text(account, "username")
				+ (mfa ? " (with two-factor authentication)" : ""));
		return Cli.OK;
	}

	/** The MFA step: {@code --code}, else asks (again after a wrong code, a few times). */
	private JsonNode verify(Context context, String mfaToken) throws IOException, InterruptedException {
		Api api = context.api();
		String given = code;
		for (int attempt = 1;; attempt++) {
			String answer = given != null ? given
					: context.term.prompt("Two-factor code (or a recovery code): ",
							"the two-factor code this account needs: pass --code");
			HttpResponse<String> response = api.send(api.request("/api/auth/mfa/verify")
					.header("Content-Type", "application/json").POST(Api.json(Map.of("mfaToken", mfaToken, "code", answer))));
			if (response.statusCode() == 200) {
				return api.parse(response);
			}
			String problem = "two-factor check failed: " + Api.errorMessage(response) + retryAfter(response);
			if (given != null || attempt >= CODE_ATTEMPTS || response.statusCode() != 401
					|| !Api.errorMessage(response).endsWith("(invalid_code)")) {
				throw new CliException(problem, Cli.ERROR);
			}
			context.term.err.println(problem + "; try again");
		}
	}

	private static String retryAfter(HttpResponse<String> response) {
		return response.headers().firstValue("Retry-After").map(s -> "; try again in " + s + " s").orElse("");
	}
}
