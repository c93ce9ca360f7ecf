package dev.videoforge.cli;

/**
 * One run of bench/cli-json: in a fresh JVM, the time from start to the first Video JSON read,
 * with {@code mode} {@code mapper} (a Jackson {@code JsonMapper}, the reference) or {@code tree}
 * (the command line's {@link Json}). Prints {@code <mode> <milliseconds>}.
 */
public final class JsonStartBenchmark {

	private static final String VIDEO = """
			{"id":"abc","title":"Holiday","status":"READY","qualities":["720p","360p"],"owner":{"username":"alice"}}""";

	public static void main(String[] args) {
		long start = System.nanoTime();
		String title = switch (args[0]) {
			case "mapper" -> tools.jackson.databind.json.JsonMapper.builder().build().readTree(VIDEO).path("title").asString();
			case "tree" -> Json.parse(VIDEO).path("title").asString();
			default -> throw new IllegalArgumentException("mapper or tree");
		};
		long millis = (System.nanoTime() - start) / 1_000_000;
		if (!"Holiday".equals(title)) {
			throw new IllegalStateException("read " + title);
		}
		System.out.println(args[0] + " " + millis);
	}
}
