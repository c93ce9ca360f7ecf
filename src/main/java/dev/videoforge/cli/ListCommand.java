package dev.videoforge.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code videoforge ls}: your videos as a table, or as JSON. */
@Command(name = "ls", separator = " ",
		description = { "list your videos (id, title, status, visibility, duration, created)", "",
				"Lists your videos, newest first, whatever their status: a table with ID, TITLE, STATUS (with "
				+ "the transcoding percent), VISIBILITY, DURATION and CREATED (local time)." })
final class ListCommand extends CliCommand {

	@Option(names = "--all", description = "every video you can see: yours and everyone's public ready ones "
			+ "(adds an OWNER column; works without logging in)")
	boolean all;

	@Option(names = { "-s", "--search" }, paramLabel = "TEXT", description = "only titles containing TEXT (case-insensitive)")
	String search;

	@Option(names = "--json", description = "a JSON array of the Video objects of the API, for scripts")
	boolean json;

	private static final int PAGE = 100;

	@Override
	int run(Context context) throws IOException, InterruptedException {
		Api api = context.api();
		String me = all ? null : myId(context);
		ArrayNode videos = Json.array();
		// owner=me: the caller's own videos, of every status and visibility (API.md).
		for (int page = 0;; page++) {
			String path = "/api/gallery/videos?size=" + PAGE + "&page=" + page + (all ? "" : "&owner=me")
					+ (search == null ? "" : "&q=" + URLEncoder.encode(search, StandardCharsets.UTF_8));
			HttpResponse<String> response = all ? api.sendMaybeAuthed(api.request(path)) : api.sendAuthed(api.request(path));
			if (response.statusCode() != 200) {
				throw api.error("cannot list the videos", response);
			}
			JsonNode body = api.parse(response);
			JsonNode items = body.path("items");
			for (JsonNode video : items) {
				if (me == null || me.equals(Json.text(video.path("owner"), "id"))) {
					videos.add(video);
				}
			}
			if (items.size() < PAGE || (long) (page + 1) * PAGE >= body.path("total").asLong(0)) {
				break;
			}
		}
		if (json) {
			context.term.out.println(Json.pretty(videos));
			return Cli.OK;
		}
		if (videos.isEmpty()) {
			context.say(all ? "no videos to show" : "you have no videos on " + context.server
					+ " yet; upload one with 'videoforge upload FILE'");
			return Cli.OK;
		}
		List<String[]> rows = new ArrayList<>();
		rows.add(all ? new String[] { "ID", "TITLE", "STATUS", "VISIBILITY", "DURATION", "CREATED", "OWNER" }
				: new String[] { "ID", "TITLE", "STATUS", "VISIBILITY", "DURATION", "CREATED" });
		for (JsonNode video : videos) {
			String[] row = { VideoView.orDash(Json.text(video, "id")), VideoView.shorten(Json.text(video, "title"), 40),
					VideoView.status(video), VideoView.orDash(Json.text(video, "visibility")), VideoView.duration(video),
					VideoView.created(video) };
			if (all) {
				row = java.util.Arrays.copyOf(row, 7);
				row[6] = VideoView.orDash(Json.text(video.path("owner"), "username"));
			}
			rows.add(row);
		}
		context.term.out.print(VideoView.table(rows));
		return Cli.OK;
	}

	/** The caller's account id: from the stored login, else (VIDEOFORGE_TOKEN) from the server. */
	private static String myId(Context context) throws IOException, InterruptedException {
		Api api = context.api();
		if (context.term.env("VIDEOFORGE_TOKEN") == null) {
			String stored = api.session().userId();
			if (stored != null) {
				return stored;
			}
		}
		HttpResponse<String> response = api.sendAuthed(api.request("/api/auth/me"));
		if (response.statusCode() != 200) {
			throw api.error("cannot read the account", response);
		}
		return Json.text(api.parse(response), "id");
	}
}
