package dev.videoforge.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code videoforge status ID [--wait]}: a video's state; with --wait, a progress bar until it is done. */
@Command(name = "status", separator = " ",
		description = { "show a video's status and transcoding progress; --wait follows it to the end", "",
				"Shows the video's title, status (UPLOADING, QUEUED, PROCESSING with its percent, READY or "
				+ "FAILED with the reason), visibility, duration, qualities and link." })
final class StatusCommand extends CliCommand {

	@Parameters(paramLabel = "ID", description = "the video")
	String id;

	@Option(names = "--wait", description = "follow the transcoding with a progress bar until the video is READY "
			+ "(exit 0) or FAILED (exit 1, with the reason)")
	boolean waitForIt;

	@Option(names = "--json", description = "the Video object of the API (with --wait: once it is final)")
	boolean json;

	private static final int MAX_FAILURES = 8;

	@Override
	int run(Context context) throws IOException, InterruptedException {
		JsonNode video = waitForIt ? await(context, id, json) : fetch(context, id);
		if (json) {
			context.term.out.println(Json.pretty(video));
		}
		else {
			context.term.out.print(details(context, video));
		}
		if (!waitForIt) {
			return Cli.OK;
		}
		return report(context, video, json);
	}

	/** For {@code upload --wait}: waits and reports; 0 when READY, 1 when FAILED. */
	static int follow(Context context, String id, boolean quiet) throws IOException, InterruptedException {
		return report(context, await(context, id, quiet), quiet);
	}

	private static int report(Context context, JsonNode video, boolean quiet) {
		String id = Json.text(video, "id");
		if ("READY".equals(Json.text(video, "status"))) {
			if (!quiet) {
				context.say("video " + id + " is ready: " + context.watchUrl(id));
			}
			return Cli.OK;
		}
		context.say("transcoding of video " + id + " failed: " + VideoView.orDash(Json.text(video, "error")));
		return Cli.ERROR;
	}

	/**
	 * Follows the video's Server-Sent Events (reconnecting when the stream ends early, falling
	 * back to polling when the server or a proxy does not stream) until it is READY or FAILED;
	 * returns its final JSON.
	 */
	static JsonNode await(Context context, String id, boolean quiet) throws IOException, InterruptedException {
		JsonNode video = fetch(context, id);
		Progress progress = quiet ? null : new Progress(context.term.err, context.term.redrawable(), Progress.Kind.PERCENT,
				VideoView.orDash(Json.text(video, "status")), 100, video.path("progress").asInt(0));
		if (progress != null) {
			progress.start();
		}
		if ("UPLOADING".equals(Json.text(video, "status")) && !quiet) {
			progress.end();
			context.say("video " + id + " is still being uploaded; waiting for the upload to finish");
		}
		int failures = 0;
		try {
			while (!isFinal(video)) {
				show(progress, video);
				long started = System.nanoTime();
				try {
					follow(context, id, progress);
					failures = 0;
				}
				catch (IOException e) {
					if (++failures > MAX_FAILURES) {
						throw e;
					}
				}
				if (System.nanoTime() - started < 1_000_000_000L) {
					// The stream ended at once (no streaming here, or the server is busy): poll gently.
					Thread.sleep(Math.min(5000, 1000L * (failures + 1)));
				}
				video = fetch(context, id);
			}
			if (progress != null) {
				show(progress, video);
				if ("READY".equals(Json.text(video, "status"))) {
					progress.finish();
				}
			}
			return video;
		}
		finally {
			if (progress != null) {
				progress.end();
			}
		}
	}

	/** Reads the event stream until it ends or reports a final status. */
	private static void follow(Context context, String id, Progress progress) throws IOException, InterruptedException {
		Api api = context.api();
		HttpResponse<Stream<String>> response = api.sendMaybeAuthed(
				api.streaming(path(id) + "/events").header("Accept", "text/event-stream"),
				HttpResponse.BodyHandlers.ofLines());
		try (Stream<String> lines = response.body()) {
			if (response.statusCode() != 200) {
				return;
			}
			EventStream.read(lines, (event, data) -> dispatch(event, data, progress));
		}
	}

	/** Shows one event; true when there is nothing more to wait for. */
	private static boolean dispatch(String event, String data, Progress progress) {
		if (event.equals("deleted")) {
			return true;
		}
		if (!event.equals("status") && !event.equals("progress")) {
			return false;
		}
		try {
			JsonNode state = Json.parse(data);
			show(progress, state);
			return isFinal(state);
		}
		catch (IllegalArgumentException e) {
			return false;
		}
	}

	private static void show(Progress progress, JsonNode state) {
		String status = Json.text(state, "status");
		// FAILED gets its own line with the reason, not a bar.
		if (progress != null && status != null && !status.equals("FAILED")) {
			progress.update(status, status.equals("READY") ? 100 : state.path("progress").asInt(0));
		}
	}

	private static boolean isFinal(JsonNode video) {
		String status = Json.text(video, "status");
		return "READY".equals(status) || "FAILED".equals(status);
	}

	/** The Video JSON; a video that does not exist (or is not visible) is a clear failure. */
	static JsonNode fetch(Context context, String id) throws IOException, InterruptedException {
		Api api = context.api();
		HttpResponse<String> response = api.sendMaybeAuthed(api.request(path(id)));
		if (response.statusCode() == 404) {
			throw CliException.failed("no video " + id + " on " + context.server
					+ (api.loggedIn() ? "" : " (or it is private: log in to see your own)"));
		}
		if (response.statusCode() != 200) {
			throw api.error("cannot read video " + id, response);
		}
		return api.parse(response);
	}

	static String path(String id) {
		return "/api/gallery/videos/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String details(Context context, JsonNode video) {
		String id = Json.text(video, "id");
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "id", id });
		rows.add(new String[] { "title", VideoView.shorten(Json.text(video, "title"), 200) });
		rows.add(new String[] { "status", VideoView.status(video) });
		if (Json.text(video, "error") != null) {
			rows.add(new String[] { "error", Json.text(video, "error") });
		}
		rows.add(new String[] { "visibility", VideoView.orDash(Json.text(video, "visibility")) });
		rows.add(new String[] { "duration", VideoView.duration(video) });
		if (video.path("width").isNumber()) {
			rows.add(new String[] { "size", video.path("width").asInt() + "x" + video.path("height").asInt() });
		}
		List<String> qualities = new ArrayList<>();
		video.path("qualities").forEach(q -> qualities.add(q.asString()));
		rows.add(new String[] { "qualities", qualities.isEmpty() ? "-" : String.join(", ", qualities) });
		rows.add(new String[] { "owner", VideoView.orDash(Json.text(video.path("owner"), "username")) });
		rows.add(new String[] { "created", VideoView.created(video) });
		rows.add(new String[] { "link", context.watchUrl(id) });
		if (Json.text(video, "description") != null) {
			rows.add(new String[] { "description", VideoView.shorten(Json.text(video, "description"), 200) });
		}
		return VideoView.table(rows);
	}
}
