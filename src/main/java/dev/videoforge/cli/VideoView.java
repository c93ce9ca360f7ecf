package dev.videoforge.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** The Video JSON of API.md as the command line shows it. */
final class VideoView {

	private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
			.withZone(ZoneId.systemDefault());

	private VideoView() {
	}

	/** {@code READY}, or {@code PROCESSING 37%}. */
	static String status(JsonNode video) {
		String status = orDash(Json.text(video, "status"));
		return status.equals("PROCESSING") ? status + " " + video.path("progress").asInt(0) + "%" : status;
	}

	static String duration(JsonNode video) {
		JsonNode seconds = video.get("durationSeconds");
		return seconds == null || seconds.isNull() ? "-" : Units.clock(Math.round(seconds.asDouble()));
	}

	/** Creation time in the local time zone. */
	static String created(JsonNode video) {
		String created = Json.text(video, "createdAt");
		if (created == null) {
			return "-";
		}
		try {
			return CREATED.format(Instant.parse(created));
		}
		catch (java.time.format.DateTimeParseException e) {
			return created;
		}
	}

	static String orDash(String value) {
		return value == null || value.isBlank() ? "-" : value;
	}

	/** Columns padded to their widest cell; the last column is not padded. */
	static String table(List<String[]> rows) {
		int columns = rows.get(0).length;
		int[] widths = new int[columns];
		for (String[] row : rows) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
			}
		}
		StringBuilder text = new StringBuilder();
		for (String[] row : rows) {
			List<String> cells = new ArrayList<>();
			for (int i = 0; i < columns; i++) {
				String cell = row[i];
				cells.add(i == columns - 1 ? cell : cell + " ".repeat(widths[i] - cell.codePointCount(0, cell.length())));
			}
			text.append(String.join("  ", cells).stripTrailing()).append('\n');
		}
		return text.toString();
	}

	/** At most {@code max} characters, with an ellipsis when cut; control characters become spaces. */
	static String shorten(String text, int max) {
		if (text == null) {
			return "-";
		}
		String clean = text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
		if (clean.codePointCount(0, clean.length()) <= max) {
			return clean;
		}
		return clean.substring(0, clean.offsetByCodePoints(0, max - 1)) + "…";
	}
}
