package dev.videoforge.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code videoforge upload FILE}: a resumable upload with a progress bar, straight into the
 * server's storage when it offers that ({@link DirectUpload}), else with tus ({@link TusUpload});
 * prints the video id.
 */
final class UploadCommand implements Command {

	private static final Set<String> VISIBILITIES = Set.of("PUBLIC", "UNLISTED", "PRIVATE");

	@Override
	public String name() {
		return "upload";
	}

	@Override
	public String summary() {
		return "upload a video or audio file (resumable: run the same command again to continue)";
	}

	@Override
	public String help() {
		return """
				Usage: videoforge upload FILE [--title TITLE] [--description TEXT]
				                              [--visibility PUBLIC|UNLISTED|PRIVATE] [--wait]

				Uploads FILE and prints the new video's id on stdout (progress and messages go to
				stderr). Where the server stores videos in S3 and offers it, the file goes straight
				to the storage in parts the server signs; otherwise through the server with the tus
				resumable-upload protocol. If the upload is interrupted (Ctrl-C, a lost connection, a
				crash), running the same command again on the unchanged file continues from what the
				server already has. Lost connections are retried on their own.

				Options:
				  -t, --title TITLE       the title (default: the file name without its extension)
				  -d, --description TEXT  a description
				  --visibility V          PUBLIC (default: listed in the gallery), UNLISTED (anyone
				                          with the link) or PRIVATE (only you)
				  --wait                  then wait until the video is transcoded, with a progress bar;
				                          exits non-zero if transcoding fails
				  --limit-rate RATE       send at most RATE bytes a second (e.g. 500k, 2M)
				  --through-server        send the bytes through the server (tus) even where it offers
				                          uploads straight into its storage
				  -q, --quiet             no progress bar or messages; only the id

				Example:
				  id=$(videoforge upload holiday.mp4 --title "Holiday" --visibility UNLISTED)
				""";
	}

	@Override
	public Args.Spec spec() {
		// --chunk-size is left out of the help: a knob for tests and odd proxies.
		return new Args.Spec(Set.of("--title", "--description", "--visibility", "--limit-rate", "--chunk-size"),
				Set.of("--wait", "--quiet", "--through-server"), Map.of("-t", "--title", "-d", "--description", "-q", "--quiet"), 1, 1);
	}

	@Override
	public int run(Args args, Context context) throws IOException, InterruptedException {
		String visibility = args.value("--visibility");
		if (visibility != null) {
			visibility = visibility.strip().toUpperCase(Locale.ROOT);
			if (!VISIBILITIES.contains(visibility)) {
				throw CliException.usage("--visibility is PUBLIC, UNLISTED or PRIVATE, not '" + args.value("--visibility") + "'");
			}
		}
		long chunkSize = args.value("--chunk-size") == null ? TusUpload.DEFAULT_CHUNK
				: Units.parseSize("--chunk-size", args.value("--chunk-size"));
		if (chunkSize > Integer.MAX_VALUE - 64) {
			throw CliException.usage("--chunk-size is at most 2G");
		}
		long limitRate = args.value("--limit-rate") == null ? 0 : Units.parseSize("--limit-rate", args.value("--limit-rate"));
		boolean quiet = args.flag("--quiet");
		LocalFile file = LocalFile.of(args.positionals().get(0));
		Api api = context.api();
		if (!api.loggedIn()) {
			throw CliException.auth("not logged in to " + context.server + "; " + context.loginHint());
		}
		long started = System.nanoTime();
		var options = new TusUpload.Options(args.value("--title"), args.value("--description"), visibility, chunkSize, limitRate,
				quiet);
		ResumeStore resume = new ResumeStore(context.config);
		TusUpload.Result result = !args.flag("--through-server") && DirectUpload.offered(api)
				? new DirectUpload(api, context.term, resume).upload(file, options)
				: new TusUpload(api, context.term, resume).upload(file, options);
		context.term.out.println(result.videoId());
		context.term.out.flush();
		if (!quiet) {
			long seconds = (System.nanoTime() - started) / 1_000_000_000L;
			String resumed = result.startedAt() > 0
					? String.format(Locale.ROOT, ", resumed at %d%%", result.startedAt() * 100 / result.size()) : "";
			context.say("uploaded " + file.path().getFileName() + " (" + Units.bytes(result.sent()) + " sent in "
					+ Units.clock(seconds) + resumed + "): " + context.watchUrl(result.videoId()));
		}
		if (args.flag("--wait")) {
			return StatusCommand.follow(context, result.videoId(), quiet);
		}
		return Cli.OK;
	}
}
