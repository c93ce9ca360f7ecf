package dev.videoforge.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code videoforge rm ID...}: deletes videos (with their stored files). */
@Command(name = "rm", separator = " ",
		description = { "delete videos, with their original and every rendition", "",
				"Deletes each video (yours, or any as an administrator) with its original and every rendition; "
				+ "an unfinished upload is cancelled. There is no undo. Goes on with the other ids when one fails, and "
				+ "then exits 1." })
final class RemoveCommand extends CliCommand {

	@Parameters(paramLabel = "ID", arity = "1..*", description = "the videos to delete")
	List<String> ids;

	@Override
	int run(Context context) throws IOException, InterruptedException {
		Api api = context.api();
		if (!api.loggedIn()) {
			throw CliException.auth("not logged in to " + context.server + "; " + context.loginHint());
		}
		ResumeStore uploads = new ResumeStore(context.config);
		int code = Cli.OK;
		for (String id : ids) {
			HttpResponse<String> response = api.sendAuthed(api.request(StatusCommand.path(id)).DELETE());
			if (response.statusCode() == 204 || response.statusCode() == 200) {
				uploads.forgetVideo(context.server, id);
				context.say("deleted " + id);
			}
			else if (response.statusCode() == 404) {
				context.say("no video " + id + " on " + context.server);
				code = Cli.ERROR;
			}
			else {
				context.say(api.error("cannot delete " + id, response).getMessage());
				code = Cli.ERROR;
			}
		}
		return code;
	}
}
