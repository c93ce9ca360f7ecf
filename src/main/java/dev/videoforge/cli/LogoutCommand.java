package dev.videoforge.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code videoforge logout}: ends the session on the server and forgets its tokens. */
@Command(name = "logout", separator = " ",
		description = { "log out: end the session on the server and forget its tokens", "",
				"Ends this session on the server (its refresh token stops working) and removes the stored "
				+ "tokens. When the server cannot be reached the tokens are removed anyway." })
final class LogoutCommand extends CliCommand {

	@Override
	int run(Context context) throws IOException, InterruptedException {
		Credentials.Session session = context.credentials.get(context.server)
				.orElseThrow(() -> CliException.failed("not logged in to " + context.server));
		Api api = context.api();
		try {
			HttpResponse<String> response = api.send(api.request("/api/auth/logout")
					.header("Content-Type", "application/json").POST(Api.json(Map.of("refreshToken", session.refreshToken()))));
			// 401: the session had ended already, which is what logging out wants.
			if (response.statusCode() != 204 && response.statusCode() != 401) {
				context.say("the server did not end the session (" + Api.errorMessage(response)
						+ "); the stored tokens are removed anyway");
			}
		}
		catch (IOException e) {
			context.say("cannot reach " + context.server + " to end the session; the stored tokens are removed anyway");
		}
		context.credentials.remove(context.server);
		context.say("logged out of " + context.server + (session.username() == null ? "" : " (" + session.username() + ")"));
		return Cli.OK;
	}
}
