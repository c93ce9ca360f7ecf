package dev.videoforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.ChildProcesses;
import dev.videoforge.support.Media;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command line as a user runs it: {@code java -jar videoforge.jar <command>}, each command
 * its own process, against the shared running application.
 */
class CliIntegrationTests extends AppIntegrationTest {

	private static final String PASSWORD = "correct horse battery";

	/** The chunk size of the slowed-down uploads. */
	private static final long CHUNK = 64 * 1024;

	@TempDir
	Path temp;

	/** The command line's config directory: made by the command line itself. */
	private Path config;

	@org.junit.jupiter.api.BeforeEach
	void configDirectory() {
		config = temp.resolve("videoforge");
	}

	record Run(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
		}
	}

	@Test
	void uploadResumesAfterInterruptsThenWaitsListsAndRemoves() throws Exception {
		Path file = Media.real("pixel7_h264_1080p_rot180_videoonly.mp4");
		long size = Files.size(file);
		String name = "cli" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient owner = anonymous().signUp(name, PASSWORD);
		try (TcpProxy proxy = new TcpProxy("127.0.0.1", port)) {
			String server = "http://127.0.0.1:" + proxy.port();

			Run login = cli(server, PASSWORD + "\n", "login", "--username", name, "--password-stdin");
			assertThat(login.exitCode()).as(login.toString()).isZero();
			assertThat(login.stderr()).contains("logged in to " + server + " as " + name);
			Path credentials = config.resolve("credentials.json");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rwx------");

			// Slowed down (256 KiB/s, small chunks) so that it can be stopped part-way.
			String[] upload = { "upload", file.toString(), "--title", "Interrupted clip", "--visibility", "unlisted",
					"--limit-rate", "256k", "--chunk-size", "64k" };

			// Ctrl-C: SIGINT, as a terminal sends it.
			Process first = start(server, upload);
			String location = awaitRemembered();
			long firstStop = awaitServerOffset(owner, location, size / 5);
			assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(first.pid())).start().waitFor()).isZero();
			Run stopped = finish(first);
			assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(130);
			assertThat(stopped.stderr()).contains("upload ").contains("KiB/s").contains("ETA")
					.contains("interrupted; run the same command again to resume");
			assertThat(stopped.stdout()).isEmpty();
			// The chunk that was cut off is dropped whole (it carried a checksum); the ones before it stay.
			long afterFirst = settledOffset(owner, location);
			assertThat(afterFirst).isGreaterThan(firstStop - CHUNK).isLessThan(size);

			// The same command resumes; this time it is killed outright (SIGKILL: no hooks run).
			Process second = start(server, upload);
			long secondStop = awaitServerOffset(owner, location, size / 2);
			// Through the handle: Process.destroyForcibly() would also close our end of its pipes.
			second.toHandle().destroyForcibly();
			Run killed = finish(second);
			assertThat(killed.stderr()).contains(resumingAt(afterFirst, size));
			long partial = settledOffset(owner, location);
			assertThat(partial).isGreaterThan(secondStop - CHUNK).isLessThan(size);
			String videoId = location.substring(location.lastIndexOf('/') + 1);
			JsonNode half = ApiClient.json(owner.get("/api/gallery/videos/" + videoId));
			assertThat(half.path("status").asString()).isEqualTo("UPLOADING");

			// Run again, without the brakes: it continues from the server's offset and sends only the rest.
			long before = proxy.upstreamBytes();
			Run resumed = cli(server, null, "upload", file.toString(), "--title", "Interrupted clip", "--visibility",
					"unlisted");
			long sent = proxy.upstreamBytes() - before;
			assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
			assertThat(resumed.stderr()).contains(resumingAt(partial, size)).contains("resumed at");
			assertThat(resumed.stdout().strip()).isEqualTo(videoId);
			assertThat(sent).as("bytes the server received on the last run").isGreaterThanOrEqualTo(size - partial)
					.isLessThan(size - partial + 64 * 1024);
			assertThat(remembered()).as("a finished upload is forgotten").isEmpty();

			Run waited = cli(server, null, "status", videoId, "--wait");
			assertThat(waited.exitCode()).as(waited.toString()).isZero();
			assertThat(waited.stdout()).contains("READY").contains("Interrupted clip").contains("UNLISTED")
					.contains("1080p");
			assertThat(waited.stderr()).contains("is ready: " + server + "/watch/" + videoId);
			JsonNode ready = ApiClient.json(owner.get("/api/gallery/videos/" + videoId));
			assertThat(ready.path("durationSeconds").asDouble()).isBetween(1.0, 1.5);

			Run listed = cli(server, null, "ls");
			assertThat(listed.exitCode()).as(listed.toString()).isZero();
			assertThat(listed.stdout().lines().findFirst().orElseThrow()).startsWith("ID").contains("TITLE")
					.contains("STATUS").contains("VISIBILITY").contains("DURATION").contains("CREATED");
			assertThat(listed.stdout()).containsPattern(videoId + "\\s+Interrupted clip\\s+READY\\s+UNLISTED\\s+0:01");
			Run json = cli(server, null, "ls", "--json");
			JsonNode items = ApiClient.JSON.readTree(json.stdout());
			assertThat(items.size()).isEqualTo(1);
			assertThat(items.get(0).path("id").asString()).isEqualTo(videoId);

			Run removed = cli(server, null, "rm", videoId);
			assertThat(removed.exitCode()).as(removed.toString()).isZero();
			assertThat(removed.stderr()).contains("deleted " + videoId);
			assertThat(owner.get("/api/gallery/videos/" + videoId).statusCode()).isEqualTo(404);
			Run gone = cli(server, null, "status", videoId);
			assertThat(gone.exitCode()).isEqualTo(1);
			assertThat(gone.stderr()).contains("no video " + videoId);
		}
	}

	@Test
	void uploadWaitsForTranscodingAndPrintsTheIdForScripts() throws Exception {
		String name = login();
		Run run = cli(base(), null, "upload", Media.real("mp4_minimal_62ms.mp4").toString(), "-t", "Tiny", "--wait");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		String id = run.stdout().strip();
		assertThat(id).matches("[A-Za-z0-9_-]+");
		assertThat(run.stderr()).contains("READY").contains("is ready");
		JsonNode video = ApiClient.json(anonymous().get("/api/gallery/videos/" + id));
		assertThat(video.path("title").asString()).isEqualTo("Tiny");
		assertThat(video.path("owner").path("username").asString()).isEqualTo(name);
		assertThat(video.path("status").asString()).isEqualTo("READY");
	}

	@Test
	void loginAsksForTheSecondFactorAndAcceptsTotpAndRecoveryCodes() throws Exception {
		String name = "mfa" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient user = anonymous().signUp(name, PASSWORD);
		String secret = ApiClient.json(user.send("POST", "/api/auth/mfa/setup", Map.of("password", PASSWORD))).path("secret").asString();
		long now = Instant.now().getEpochSecond();
		var enabled = user.send("POST", "/api/auth/mfa/enable", Map.of("code", totp(secret, now)));
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		String recovery = ApiClient.json(enabled).path("recoveryCodes").get(0).asString();

		Run noTerminal = cli(base(), PASSWORD + "\n", "login", "-u", name, "--password-stdin");
		assertThat(noTerminal.exitCode()).isEqualTo(2);
		assertThat(noTerminal.stderr()).contains("two-factor code").contains("--code");

		Run wrong = cli(base(), PASSWORD + "\n", "login", "-u", name, "--password-stdin", "--code",
				totp(secret, now - 3600));
		assertThat(wrong.exitCode()).isEqualTo(1);
		assertThat(wrong.stderr()).contains("two-factor check failed").contains("invalid_code");
		assertThat(Files.exists(config.resolve("credentials.json"))).isFalse();

		// The enabling code used up its time step; the next step's code is still within the window.
		Run withTotp = cli(base(), PASSWORD + "\n", "login", "-u", name, "--password-stdin", "--code",
				totp(secret, now + 30));
		assertThat(withTotp.exitCode()).as(withTotp.toString()).isZero();
		assertThat(withTotp.stderr()).contains("as " + name + " (with two-factor authentication)");

		Run withRecovery = cli(base(), PASSWORD + "\n", "login", "-u", name, "--password-stdin", "--code", recovery);
		assertThat(withRecovery.exitCode()).as(withRecovery.toString()).isZero();
		assertThat(cli(base(), null, "ls").exitCode()).isZero();
	}

	@Test
	void refreshesAnExpiredAccessTokenAndLogoutEndsTheSession() throws Exception {
		login();
		Path credentials = config.resolve("credentials.json");
		String server = base();

		// Expired by the clock: refreshed before the request.
		editSession(session -> session.put("accessTokenExpiresAt", Instant.now().minusSeconds(60).toString()));
		String firstRefresh = session().path("refreshToken").asString();
		Run afterExpiry = cli(server, null, "ls");
		assertThat(afterExpiry.exitCode()).as(afterExpiry.toString()).isZero();
		assertThat(session().path("refreshToken").asString()).isNotEqualTo(firstRefresh);

		// Refused by the server although the clock says it is valid: refreshed after the 401.
		editSession(session -> session.put("accessToken", "not-a-token"));
		String secondRefresh = session().path("refreshToken").asString();
		Run afterRefusal = cli(server, null, "ls");
		assertThat(afterRefusal.exitCode()).as(afterRefusal.toString()).isZero();
		assertThat(session().path("accessToken").asString()).isNotEqualTo("not-a-token");
		String lastRefresh = session().path("refreshToken").asString();
		assertThat(lastRefresh).isNotEqualTo(secondRefresh);

		Run logout = cli(server, null, "logout");
		assertThat(logout.exitCode()).as(logout.toString()).isZero();
		assertThat(Files.readString(credentials)).doesNotContain(lastRefresh);
		assertThat(anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", lastRefresh)).statusCode())
				.as("the logged-out session's refresh token").isEqualTo(401);
		Run after = cli(server, null, "ls");
		assertThat(after.exitCode()).isEqualTo(4);
		assertThat(after.stderr()).contains("not logged in to " + server).contains("videoforge login");
	}

	@Test
	void badInputGetsAClearMessageAndANonZeroExit() throws Exception {
		String name = "bad" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		anonymous().signUp(name, PASSWORD);

		Run wrongPassword = cli(base(), "not the password\n", "login", "-u", name, "--password-stdin");
		assertThat(wrongPassword.exitCode()).isEqualTo(1);
		assertThat(wrongPassword.stderr()).isEqualToIgnoringNewLines(
				"videoforge: login failed: wrong username or password (invalid_credentials)");

		Run notLoggedIn = cli(base(), null, "upload", Media.real("mp4_minimal_62ms.mp4").toString());
		assertThat(notLoggedIn.exitCode()).isEqualTo(4);
		assertThat(notLoggedIn.stderr()).contains("not logged in");

		login();
		Run missing = cli(base(), null, "upload", "/no/such/clip.mp4");
		assertThat(missing.exitCode()).isEqualTo(1);
		assertThat(missing.stderr()).isEqualToIgnoringNewLines("videoforge: no such file: /no/such/clip.mp4");

		Run notMedia = cli(base(), null, "upload", Media.real("random_bytes_named.mp3").toString());
		assertThat(notMedia.exitCode()).as(notMedia.toString()).isEqualTo(1);
		assertThat(notMedia.stderr()).contains("the server refused random_bytes_named.mp3").contains("(not_media)");
		assertThat(notMedia.stdout()).isEmpty();
		assertThat(remembered()).as("a refused upload is not resumed").isEmpty();

		Run unknownStatus = cli(base(), null, "status", "nosuchvideo");
		assertThat(unknownStatus.exitCode()).isEqualTo(1);
		assertThat(unknownStatus.stderr()).contains("no video nosuchvideo on " + base());
		Run unknownRm = cli(base(), null, "rm", "nosuchvideo");
		assertThat(unknownRm.exitCode()).isEqualTo(1);
		assertThat(unknownRm.stderr()).contains("no video nosuchvideo");

		Run badVisibility = cli(base(), null, "upload", Media.real("mp4_minimal_62ms.mp4").toString(), "--visibility",
				"secret");
		assertThat(badVisibility.exitCode()).isEqualTo(2);
		assertThat(badVisibility.stderr()).contains("--visibility is PUBLIC, UNLISTED or PRIVATE");
		Run unknownOption = cli(base(), null, "ls", "--colour");
		assertThat(unknownOption.exitCode()).isEqualTo(2);
		assertThat(unknownOption.stderr()).contains("unknown option --colour for 'ls'");
		Run unreachable = cli("http://127.0.0.1:" + ServerProcess.freePort(), null, "ls", "--all");
		assertThat(unreachable.exitCode()).isEqualTo(1);
		assertThat(unreachable.stderr()).contains("cannot reach http://127.0.0.1:");

		for (String command : List.of("login", "logout", "upload", "ls", "status", "rm")) {
			Run help = cli(base(), null, command, "--help");
			assertThat(help.exitCode()).as(command).isZero();
			assertThat(help.stdout()).startsWith("Usage: videoforge " + command).contains("--server URL");
		}
	}

	// ------------------------------------------------------------------ running the command line

	private String base() {
		return "http://127.0.0.1:" + port;
	}

	/** A fresh account, logged in with the command line (config in {@link #config}). */
	private String login() throws Exception {
		String name = "cli" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		anonymous().signUp(name, PASSWORD);
		Run login = cli(base(), PASSWORD + "\n", "login", "-u", name, "--password-stdin");
		assertThat(login.exitCode()).as(login.toString()).isZero();
		return name;
	}

	private Run cli(String server, String stdin, String... args) throws Exception {
		Process process = start(server, args);
		try (OutputStream in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
		}
		return finish(process);
	}

	private Process start(String server, String... args) throws IOException {
		Process process = ChildProcesses.start(ServerProcess.commandLine(config, server, List.of(args)));
		drains.put(process, new Drains(drain(process.getInputStream()), drain(process.getErrorStream())));
		return process;
	}

	private record Drains(CompletableFuture<String> out, CompletableFuture<String> err) {
	}

	private final Map<Process, Drains> drains = new java.util.concurrent.ConcurrentHashMap<>();

	private Run finish(Process process) throws Exception {
		if (!process.waitFor(180, TimeUnit.SECONDS)) {
			ChildProcesses.killTree(process);
			throw new AssertionError("the command line did not finish in 180 s");
		}
		Drains d = drains.remove(process);
		return new Run(process.exitValue(), d.out().get(10, TimeUnit.SECONDS), d.err().get(10, TimeUnit.SECONDS));
	}

	/**
	 * Reads a pipe to its end on a thread of its own: not on the common pool, which the
	 * application in this JVM uses for ffprobe's output (a blocked pool stalls every upload).
	 */
	private static CompletableFuture<String> drain(InputStream in) {
		CompletableFuture<String> text = new CompletableFuture<>();
		Thread.ofPlatform().daemon().name("cli-output").start(() -> {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			try (in) {
				in.transferTo(buffer);
			}
			catch (IOException e) {
				// the process went away; keep what arrived
			}
			text.complete(buffer.toString(StandardCharsets.UTF_8));
		});
		return text;
	}

	// ------------------------------------------------------------------ what the command line left behind

	/** The upload URLs remembered for resuming, from {@code uploads.json}. */
	private List<String> remembered() throws IOException {
		Path file = config.resolve("uploads.json");
		List<String> urls = new ArrayList<>();
		if (Files.exists(file)) {
			ApiClient.JSON.readTree(Files.readString(file)).path("uploads")
					.forEach(entry -> urls.add(entry.path("url").asString()));
		}
		return urls;
	}

	/** Waits until the running upload has been created and remembered; returns its URL. */
	private String awaitRemembered() throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			List<String> urls = remembered();
			if (!urls.isEmpty()) {
				return urls.get(0);
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the upload was not remembered in uploads.json");
	}

	/** Waits until the server holds at least {@code bytes} of the upload; returns its offset. */
	private long awaitServerOffset(ApiClient owner, String url, long bytes) throws Exception {
		String path = URI.create(url).getPath();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		long offset = -1;
		while (System.nanoTime() < deadline) {
			var head = owner.tusHead(path);
			if (head.statusCode() == 200) {
				offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
				if (offset >= bytes) {
					return offset;
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the server did not reach " + bytes + " bytes; last offset " + offset);
	}

	/** The server's offset once a cut-off chunk has finished arriving (two equal readings). */
	private long settledOffset(ApiClient owner, String url) throws Exception {
		String path = URI.create(url).getPath();
		long last = -1;
		for (int i = 0; i < 50; i++) {
			long offset = Long.parseLong(owner.tusHead(path).headers().firstValue("Upload-Offset").orElseThrow());
			if (offset == last) {
				return offset;
			}
			last = offset;
			Thread.sleep(300);
		}
		return last;
	}

	private static String resumingAt(long offset, long size) {
		return "resuming at " + (offset * 100 / size) + "%";
	}

	private JsonNode session() throws IOException {
		JsonNode servers = ApiClient.JSON.readTree(Files.readString(config.resolve("credentials.json"))).path("servers");
		return servers.path(base());
	}

	private void editSession(java.util.function.Consumer<ObjectNode> change) throws IOException {
		Path file = config.resolve("credentials.json");
		ObjectNode root = (ObjectNode) ApiClient.JSON.readTree(Files.readString(file));
		change.accept((ObjectNode) root.path("servers").path(base()));
		Files.writeString(file, ApiClient.JSON.writeValueAsString(root));
	}

	/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a Base32 secret, as an authenticator app computes it. */
	private static String totp(String base32Secret, long epochSeconds) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
		byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(epochSeconds / 30).array());
		int at = hash[hash.length - 1] & 0xf;
		int binary = ((hash[at] & 0x7f) << 24) | ((hash[at + 1] & 0xff) << 16) | ((hash[at + 2] & 0xff) << 8)
				| (hash[at + 3] & 0xff);
		return String.format("%06d", binary % 1_000_000);
	}

	private static byte[] base32(String text) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int buffer = 0;
		int bits = 0;
		for (char c : text.replace("=", "").toUpperCase().toCharArray()) {
			buffer = (buffer << 5) | alphabet.indexOf(c);
			bits += 5;
			if (bits >= 8) {
				out.write((buffer >> (bits - 8)) & 0xff);
				bits -= 8;
			}
		}
		return out.toByteArray();
	}
}
