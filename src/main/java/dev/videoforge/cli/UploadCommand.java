package dev.videoforge.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code videoforge upload FILE}: a resumable upload with a progress bar, straight into the
 * server's storage when it offers that ({@link DirectUpload}), else with tus ({@link TusUpload});
 * prints the video id.
 */
@Command(name = "upload", separator = " ",
		description = { "upload a video or audio file (resumable: run the same command again to continue)", "",
				"Uploads FILE and prints the new video's id on stdout (progress and messages go to stderr). "
				+ "Where the server stores videos in S3 and offers it, the file goes straight to the storage in parts "
				+ "the server signs; otherwise through the server with the tus resumable-upload protocol. If the upload "
				+ "is interrupted (Ctrl-C, a lost connection, a crash), running the same command again on the unchanged "
				+ "file continues from what the server already has. Lost connections are retried on their own." },
		footer = { "", "Example:", "  id=$(videoforge upload holiday.mp4 --title \"Holiday\" --visibility UNLISTED)" })
final class UploadCommand extends CliCommand {

	@Parameters(paramLabel = "FILE", description = "the video or audio file")
	String file;

	@Option(names = { "-t", "--title" }, paramLabel = "TITLE",
			description = "the title (default: the file name without its extension)")
	String title;

	@Option(names = { "-d", "--description" }, paramLabel = "TEXT", description = "a description")
	String description;

	@Option(names = "--visibility", paramLabel = "V", description = "PUBLIC (default: listed in the gallery), "
			+ "UNLISTED (anyone with the link) or PRIVATE (only you)")
	String visibility;

	@Option(names = "--wait", description = "then wait until the video is transcoded, with a progress bar; "
			+ "exits non-zero if transcoding fails")
	boolean waitForIt;

	@Option(names = "--limit-rate", paramLabel = "RATE", description = "send at most RATE bytes a second (e.g. 500k, 2M)")
	String limitRate;

	@Option(names = "--through-server", description = "send the bytes through the server (tus) even where it offers "
			+ "uploads straight into its storage")
	boolean throughServer;

	@Option(names = { "-q", "--quiet" }, description = "no progress bar or messages; only the id")
	boolean quiet;

	/** Left out of the help: a knob for tests and odd proxies. */
	@Option(names = "--chunk-size", paramLabel = "SIZE", hidden = true)
	String chunkSize;

	private static final Set<String> VISIBILITIES = Set.of("PUBLIC", "UNLISTED", "PRIVATE");

	@Override
	int run(Context context) throws IOException, InterruptedException {
		String visibility = this.visibility;
		if (visibility != null) {
			visibility = visibility.strip().toUpperCase(Locale.ROOT);
			if (!VISIBILITIES.contains(visibility)) {
				throw CliException.usage("--visibility is PUBLIC, UNLISTED or PRIVATE, not '" + this.visibility + "'");
			}
		}
		long chunkSize = this.chunkSize == null ? TusUpload.DEFAULT_CHUNK : Units.parseSize("--chunk-size", this.chunkSize);
		if (chunkSize > Integer.MAX_VALUE - 64) {
			throw CliException.usage("--chunk-size is at most 2G");
		}
		long limitRate = this.limitRate == null ? 0 : Units.parseSize("--limit-rate", this.limitRate);
		LocalFile file = LocalFile.of(this.file);
		Api api = context.api();
		if (!api.loggedIn()) {
			throw CliException.auth("not logged in to " + context.server + "; " + context.loginHint());
		}
		long started = System.nanoTime();
		var options = new TusUpload.Options(title, description, visibility, chunkSize, limitRate,
				quiet);
		ResumeStore resume = new ResumeStore(context.config);
		TusUpload.Result result = !throughServer && DirectUpload.offered(api)
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
		if (waitForIt) {
			return StatusCommand.follow(context, result.videoId(), quiet);
		}
		return Cli.OK;
	}
}
