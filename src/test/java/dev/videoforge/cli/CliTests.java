package dev.videoforge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's pure parts: arguments, sizes, tus metadata, the progress line. */
class CliTests {

	/** Runs the command line on {@code args} with a terminal of strings; what it said and its exit code. */
	private record Ran(int code, String out, String err) {
	}

	private static Ran run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		Terminal term = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
				new java.io.ByteArrayInputStream(new byte[0]), Map.of(), null);
		int code = new Cli(term).run(args);
		return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static UploadCommand parsedUpload(String... args) {
		var line = new Cli(Terminal.system()).commandLine();
		var parsed = line.parseArgs(Cli.arguments(args));
		return (UploadCommand) parsed.subcommand().commandSpec().userObject();
	}

	@Test
	void parsesOptionsInEitherFormAndPositionalsAnywhere() {
		UploadCommand upload = parsedUpload("upload", "-t", "A title", "clip.mp4", "--wait", "--server=http://h:1");
		assertThat(upload.title).isEqualTo("A title");
		assertThat(upload.waitForIt).isTrue();
		assertThat(upload.common.server).isEqualTo("http://h:1");
		assertThat(upload.file).isEqualTo("clip.mp4");
		assertThat(parsedUpload("upload", "--title", "Other", "--server", "http://h:2", "--", "--odd-name.mp4").file)
				.isEqualTo("--odd-name.mp4");
		// As before picocli: a value may start with "-", "@name" is a file name, the last repeated option wins.
		UploadCommand odd = parsedUpload("upload", "--title", "-1", "@clip.mp4", "--server", "http://a:1", "--server=http://b:2");
		assertThat(odd.title).isEqualTo("-1");
		assertThat(odd.file).isEqualTo("@clip.mp4");
		assertThat(odd.common.server).isEqualTo("http://b:2");
	}

	@Test
	void refusesWrongArgumentsAsUsageErrors() {
		Ran unknown = run("upload", "a.mp4", "--colour");
		assertThat(unknown.code()).isEqualTo(Cli.USAGE);
		assertThat(unknown.err()).contains("videoforge: unknown option --colour for 'upload'");
		assertThat(run("upload", "a.mp4", "--colour=red").err()).contains("unknown option --colour for 'upload'");
		assertThat(run("upload", "a.mp4", "--title").err()).contains("--title needs a value");
		Ran missing = run("upload");
		assertThat(missing.code()).isEqualTo(Cli.USAGE);
		assertThat(missing.err()).contains("'upload' needs more arguments");
		assertThat(run("upload", "a.mp4", "b.mp4").err()).contains("unexpected argument 'b.mp4'");
		assertThat(run("status", "--wait=yes", "x").code()).isEqualTo(Cli.USAGE);
		Ran command = run("transcode");
		assertThat(command.code()).isEqualTo(Cli.USAGE);
		assertThat(command.err()).contains("unknown command 'transcode'");
		assertThat(run("upload", "--server", "ftp://h", "a.mp4").err()).contains("--server must be a URL");
	}

	@Test
	void helpVersionAndCompletionNeedNoServer() {
		Ran help = run("upload", "--help");
		assertThat(help.code()).as("help needs no file").isZero();
		assertThat(help.out()).startsWith("Usage: videoforge upload").contains("--server URL").contains("--title TITLE")
				.doesNotContain("--chunk-size");
		Ran overview = run("--help");
		assertThat(overview.code()).isZero();
		assertThat(overview.out()).contains("login").contains("upload").contains("Exit codes:");
		assertThat(run().code()).as("no command: the overview, as a usage error").isEqualTo(Cli.USAGE);
		Ran version = run("--version");
		assertThat(version.code()).isZero();
		assertThat(version.out()).startsWith("videoforge-cli/");
		Ran completion = run("completion");
		assertThat(completion.code()).isZero();
		assertThat(completion.out()).contains("complete -F").contains("upload");
	}

	@Test
	void readsAndWritesSizesAsPeopleDo() {
		assertThat(Units.parseSize("--limit-rate", "512k")).isEqualTo(512 * 1024);
		assertThat(Units.parseSize("--limit-rate", "1.5M")).isEqualTo(3 * 512 * 1024);
		assertThat(Units.parseSize("--limit-rate", "2MiB")).isEqualTo(2 << 20);
		assertThat(Units.parseSize("--limit-rate", "100")).isEqualTo(100);
		assertThatThrownBy(() -> Units.parseSize("--limit-rate", "fast")).hasMessageContaining("512k, 8M or 1G");
		assertThatThrownBy(() -> Units.parseSize("--limit-rate", "0")).isInstanceOf(CliException.class);
		assertThat(Units.bytes(512)).isEqualTo("512 B");
		assertThat(Units.bytes(3_416_691)).isEqualTo("3.26 MiB");
		assertThat(Units.clock(7)).isEqualTo("0:07");
		assertThat(Units.clock(3723)).isEqualTo("1:02:03");
	}

	@Test
	void encodesTusMetadataAsBase64PairsWithoutEmptyKeys() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("filename", "été.mp4");
		values.put("title", null);
		values.put("visibility", "PRIVATE");
		String header = TusUpload.metadata(values);
		assertThat(header).isEqualTo("filename " + Base64.getEncoder().encodeToString("été.mp4".getBytes(StandardCharsets.UTF_8))
				+ ",visibility UFJJVkFURQ==");
		assertThat(TusUpload.idOf("http://h/api/uploads/abc123")).isEqualTo("abc123");
	}

	/** A server (or whoever answers for it) that points the CLI elsewhere does not get the token sent there. */
	@Test
	void sendsTheTokenOnlyToTheServersOwnOrigin() throws Exception {
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
				new java.net.InetSocketAddress("127.0.0.1", 0), 0);
		other.createContext("/", exchange -> {
			seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		other.start();
		try {
			String elsewhere = "http://127.0.0.1:" + other.getAddress().getPort();
			Api api = new Api("http://127.0.0.1:1", null, "secret-token", "log in");
			// A tus Location naming another origin, as a hostile or confused server might send.
			assertThatThrownBy(() -> api.sendAuthed(api.request(elsewhere + "/api/uploads/abc").method("HEAD",
					java.net.http.HttpRequest.BodyPublishers.noBody())))
					.isInstanceOf(CliException.class).hasMessageContaining("refusing to send your token to " + elsewhere);
			assertThat(seen).as("requests the other origin received").isEmpty();
			// The same server the CLI was given gets it (so the refusal above is about the origin).
			Api own = new Api(elsewhere, null, "secret-token", "log in");
			assertThat(own.sendAuthed(own.request("/api/uploads/abc")).statusCode()).isEqualTo(204);
			assertThat(seen).containsExactly("Bearer secret-token");
		}
		finally {
			other.stop(0);
		}
		assertThat(Api.sameOrigin(java.net.URI.create("https://v.example/x"), java.net.URI.create("https://V.example:443")))
				.isTrue();
		assertThat(Api.sameOrigin(java.net.URI.create("http://v.example/x"), java.net.URI.create("https://v.example"))).isFalse();
		assertThat(Api.sameOrigin(java.net.URI.create("https://v.example.evil.test/"), java.net.URI.create("https://v.example")))
				.isFalse();
	}

	@Test
	void warnsAboutPlainHttpToAnotherMachineOnly() {
		assertThat(Api.plainHttpWarning("http://videos.example.com")).contains("plain http", "https://");
		assertThat(Api.plainHttpWarning("http://192.168.1.20:8080")).contains("plain http");
		assertThat(Api.plainHttpWarning("https://videos.example.com")).isNull();
		assertThat(Api.plainHttpWarning("http://localhost:8080")).isNull();
		assertThat(Api.plainHttpWarning("http://127.0.0.1:8080")).isNull();
		assertThat(Api.plainHttpWarning("http://[::1]:8080")).isNull();
	}

	@Test
	void givesSlowChunksTimeBeforeCallingThemStalled() {
		assertThat(TusUpload.patchTimeout(8L << 20, 0)).isEqualTo(Duration.ofSeconds(60 + 128));
		assertThat(TusUpload.patchTimeout(64 * 1024, 256 * 1024)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void plainProgressPrintsALineAtEveryTenthNotAtEveryUpdate() {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		Progress progress = new Progress(new PrintStream(buffer, true, StandardCharsets.UTF_8), false, Progress.Kind.BYTES,
				"upload", 1000, 0);
		progress.start();
		for (int done = 1; done <= 1000; done++) {
			progress.update(done);
		}
		progress.finish();
		List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
		assertThat(lines).hasSize(11);
		assertThat(lines.get(0)).startsWith("upload   0%  0 B / 1000 B");
		assertThat(lines.get(10)).startsWith("upload 100%  1000 B / 1000 B").doesNotContain("ETA");
		assertThat(buffer.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
	}

	@Test
	void terminalProgressRedrawsOneLineWithABar() {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		Progress progress = new Progress(new PrintStream(buffer, true, StandardCharsets.UTF_8), true, Progress.Kind.PERCENT,
				"PROCESSING", 100, 0);
		progress.start();
		progress.update("READY", 100);
		progress.finish();
		String out = buffer.toString(StandardCharsets.UTF_8);
		assertThat(out).startsWith("\rPROCESSING [>").contains("\rREADY [========================] 100%").endsWith("\n");
		assertThat(out.chars().filter(c -> c == '\n').count()).as("one line, ended once").isEqualTo(1);
	}
}
