package dev.videoforge.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code videoforge upload FILE}: a resumable tus upload with a progress bar; prints the video id. */
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

				Uploads FILE with the tus resumable-upload protocol and prints the new video's id on
				stdout (progress and messages go to stderr). If the upload is interrupted (Ctrl-C, a
				lost connection, a crash), running the same command again on the unchanged file
				continues from what the server already has. Lost connections are retried on their own.

				Options:
				  -t, --title TITLE       the title (default: the file name without its extension)
				  -d, --description TEXT  a description
				  --visibility V          PUBLIC (default: listed in the gallery), UNLISTED (anyone
				                          with the link) or PRIVATE (only you)
				  --wait                  then wait until the video is transcoded, with a progress bar;
				                          exits non-zero if transcoding fails
				  --limit-rate RATE       send at most RATE bytes a second (e.g. 500k, 2M)
				  -q, --quiet             no progress bar or messages; only the id

				Example:
				  id=$(videoforge upload holiday.mp4 --title "Holiday" --visibility UNLISTED)
				""";
	}

	@Override
	public Args.Spec spec() {
		// --chunk-size is left out of the help: a knob for tests and odd proxies.
		return new Args.Spec(Set.of("--title", "--description", "--visibility", "--limit-rate", "--chunk-size"),
				Set.of("--wait", "--quiet"), Map.of("-t", "--title", "-d", "--description", "-q", "--quiet"), 1, 1);
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
		TusUpload.Result result = new TusUpload(api, context.term, new ResumeStore(context.config)).upload(file,
				new TusUpload.Options(args.value("--title"), args.value("--description"), visibility, chunkSize, limitRate,
						quiet));
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
