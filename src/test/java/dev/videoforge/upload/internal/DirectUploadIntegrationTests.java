package dev.videoforge.upload.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.ChildProcesses;
import dev.videoforge.support.Media;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.S3Bucket;
import dev.videoforge.support.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * Uploads straight into an S3-compatible store (S3Proxy): the client sends each part to a presigned
 * URL, the server completes, checks and finishes. Attacks by class: a body of another size than
 * signed, parts missing, a part number out of range, not media, someone else's upload.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.storage.type=s3",
				"videoforge.storage.s3.bucket=videoforge-direct", "videoforge.storage.s3.path-style=true",
				"videoforge.upload.direct-part-size=5MB", "videoforge.upload.max-size=40MB" })
class DirectUploadIntegrationTests {

	static final String BUCKET = "videoforge-direct";
	@RegisterExtension
	static final S3Bucket S3 = new S3Bucket(BUCKET);

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) throws IOException {
		S3.settings(registry);
	}

	private static final HttpClient HTTP = HttpClient.newHttpClient();
	private static final String PASSWORD = "correct horse battery";
	static Path clip;

	@Value("${local.server.port}")
	int port;

	@BeforeAll
	static void makeClip() throws Exception {
		// Lossless, so that 6 s of 720p are three parts of 5 MiB.
		clip = Files.createTempDirectory("direct-clip-").resolve("lossless.mp4");
		var made = Media.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi",
				"-i", "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
				"-c:a", "aac", "-shortest", clip.toString()), 120);
		assertThat(made.exitCode()).as(made.stderr()).isZero();
	}

	private ApiClient newUser(String prefix) throws Exception {
		return new ApiClient("http://127.0.0.1:" + port).signUp(prefix + Long.toString(System.nanoTime() % 100_000_000L, 36), PASSWORD);
	}

	private static JsonNode create(ApiClient user, Path file, String title) throws Exception {
		var created = user.send("POST", "/api/direct-uploads",
				Map.of("filename", file.getFileName().toString(), "size", Files.size(file), "title", title, "visibility", "PUBLIC"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/api/direct-uploads/"));
		return ApiClient.json(created);
	}

	private static JsonNode sign(ApiClient user, String id, Integer... numbers) throws Exception {
		var signed = user.send("POST", "/api/direct-uploads/" + id + "/parts", Map.of("numbers", List.of(numbers)));
		assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
		return ApiClient.json(signed).path("parts");
	}

	/** PUTs bytes to a presigned URL, as a browser or the CLI does, without any credentials of ours. */
	private static HttpResponse<String> put(String url, byte[] body) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** The store refuses the body: a 4xx, or (S3Proxy, with a body it will not read) the connection cut. */
	private static void assertRefused(String url, byte[] body, String what) throws InterruptedException {
		try {
			assertThat(put(url, body).statusCode()).as(what).isEqualTo(403);
		}
		catch (IOException cut) {
			// refused before the body was read
		}
	}

	private static byte[] slice(byte[] bytes, long partSize, int number) {
		int from = (int) ((number - 1) * partSize);
		return Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, from + partSize));
	}

	private static List<String> openUploads() {
		try (S3Client s3 = S3.client()) {
			return s3.listMultipartUploads(r -> r.bucket(BUCKET)).uploads().stream().map(u -> u.key()).toList();
		}
	}

	private static List<String> keysOf(String videoId) {
		try (S3Client s3 = S3.client()) {
			return s3.listObjectsV2(r -> r.bucket(BUCKET)).contents().stream().map(o -> o.key())
					.filter(k -> k.contains(videoId)).toList();
		}
	}

	@Test
	void aFileSentStraightToTheStoreInPartsIsCheckedFinishedAndPlays() throws Exception {
		ApiClient alice = newUser("direct");
		var offer = ApiClient.json(alice.get("/api/direct-uploads"));
		assertThat(offer.path("enabled").asBoolean()).isTrue();
		assertThat(offer.path("partSize").asLong()).isEqualTo(5L * 1024 * 1024);

		byte[] bytes = Files.readAllBytes(clip);
		JsonNode upload = create(alice, clip, "Straight to the bucket");
		String id = upload.path("id").asString();
		long partSize = upload.path("partSize").asLong();
		int parts = upload.path("partCount").asInt();
		assertThat(parts).as("parts of %s bytes", bytes.length).isEqualTo((int) ((bytes.length + partSize - 1) / partSize)).isGreaterThanOrEqualTo(2);
		assertThat(openUploads()).contains("uploads/" + id + "/direct");

		// Nothing is there yet: completing now names what is missing, and loses nothing.
		var early = alice.send("POST", "/api/direct-uploads/" + id + "/complete", null);
		assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
		assertThat(ApiClient.json(early).path("error").asString()).isEqualTo("upload_incomplete");

		// A part signed for its size takes exactly that many bytes: more, or fewer, are refused by the store.
		JsonNode first = sign(alice, id, 1).get(0);
		assertThat(first.path("size").asLong()).isEqualTo(partSize);
		byte[] one = slice(bytes, partSize, 1);
		assertRefused(first.path("url").asString(), Arrays.copyOf(one, one.length + 1024), "a longer body");
		assertRefused(first.path("url").asString(), Arrays.copyOf(one, one.length - 1), "a shorter body");
		assertThat(ApiClient.json(alice.get("/api/direct-uploads/" + id)).path("parts")).as("parts kept").isEmpty();
		// Part numbers beyond the file's are not signed.
		for (int number : new int[] { 0, parts + 1, 10_001 }) {
			var refused = alice.send("POST", "/api/direct-uploads/" + id + "/parts", Map.of("numbers", List.of(number)));
			assertThat(refused.statusCode()).as("part %d", number).isEqualTo(400);
			assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("invalid_parts");
		}
		// Someone else's upload is as unknown as one that never existed.
		ApiClient mallory = newUser("mallory");
		for (var attempt : List.of(mallory.get("/api/direct-uploads/" + id),
				mallory.send("POST", "/api/direct-uploads/" + id + "/parts", Map.of("numbers", List.of(1))),
				mallory.send("POST", "/api/direct-uploads/" + id + "/complete", null),
				mallory.send("DELETE", "/api/direct-uploads/" + id, null))) {
			assertThat(attempt.statusCode()).as(attempt.body()).isEqualTo(404);
		}

		// The parts, in any order; the server lists what the store has (a resumed client sends the rest).
		assertThat(put(first.path("url").asString(), one).statusCode()).isEqualTo(200);
		var listed = ApiClient.json(alice.get("/api/direct-uploads/" + id));
		assertThat(listed.path("parts")).hasSize(1);
		assertThat(listed.path("parts").get(0).path("number").asInt()).isEqualTo(1);
		List<Integer> rest = new ArrayList<>();
		for (int n = parts; n >= 2; n--) {
			rest.add(n);
		}
		for (JsonNode part : sign(alice, id, rest.toArray(Integer[]::new))) {
			int number = part.path("number").asInt();
			assertThat(put(part.path("url").asString(), slice(bytes, partSize, number)).statusCode()).isEqualTo(200);
		}
		var completed = alice.send("POST", "/api/direct-uploads/" + id + "/complete", null);
		assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
		assertThat(ApiClient.json(completed).path("status").asString()).isIn("QUEUED", "PROCESSING", "READY");
		// Again after a lost answer: the same video, nothing queued twice.
		var again = alice.send("POST", "/api/direct-uploads/" + id + "/complete", null);
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(ApiClient.json(again).path("id").asString()).isEqualTo(id);

		JsonNode video = alice.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");
		try (S3Client s3 = S3.client()) {
			byte[] original = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("originals/" + id)).asByteArray();
			assertThat(original).as("the original, byte for byte").isEqualTo(bytes);
		}
		assertThat(keysOf(id)).as("the staged object is gone").noneMatch(k -> k.startsWith("uploads/"));
		assertThat(openUploads()).doesNotContain("uploads/" + id + "/direct");
		Renditions.assertRendition("http://127.0.0.1:" + port + "/api/stream/" + id + "/240p/index.m3u8",
				Renditions.decode(clip.toString()), true);
	}

	@Test
	void notMediaIsRefusedAndNothingIsLeftInTheStore() throws Exception {
		ApiClient bob = newUser("directbad");
		Path junk = Files.createTempFile("junk-", ".mp4");
		byte[] bytes = new byte[300_000];
		new java.util.Random(7).nextBytes(bytes);
		Files.write(junk, bytes);
		JsonNode upload = create(bob, junk, "Noise");
		String id = upload.path("id").asString();
		assertThat(upload.path("partCount").asInt()).isEqualTo(1);
		JsonNode part = sign(bob, id, 1).get(0);
		assertThat(part.path("size").asLong()).isEqualTo(bytes.length);
		assertThat(put(part.path("url").asString(), bytes).statusCode()).isEqualTo(200);
		var refused = bob.send("POST", "/api/direct-uploads/" + id + "/complete", null);
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);
		assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("not_media");
		assertThat(bob.get("/api/gallery/videos/" + id).statusCode()).isEqualTo(404);
		assertThat(keysOf(id)).isEmpty();

		// Too large for the server: refused before anything is opened in the store.
		var tooLarge = bob.send("POST", "/api/direct-uploads", Map.of("filename", "huge.mp4", "size", 41L * 1024 * 1024));
		assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);

		// Cancelled half-way: the parts in the store go with it.
		JsonNode cancelled = create(bob, clip, "Cancelled");
		String cancelledId = cancelled.path("id").asString();
		JsonNode firstPart = sign(bob, cancelledId, 1).get(0);
		assertThat(put(firstPart.path("url").asString(), slice(Files.readAllBytes(clip), cancelled.path("partSize").asLong(), 1))
				.statusCode()).isEqualTo(200);
		assertThat(openUploads()).contains("uploads/" + cancelledId + "/direct");
		// Its bytes come only this way: tus does not know it.
		var tusHead = bob.tusHead("/api/uploads/" + cancelledId);
		assertThat(tusHead.statusCode()).isEqualTo(404);
		assertThat(bob.send("DELETE", "/api/direct-uploads/" + cancelledId, null).statusCode()).isEqualTo(204);
		assertThat(openUploads()).doesNotContain("uploads/" + cancelledId + "/direct");
		assertThat(bob.get("/api/gallery/videos/" + cancelledId).statusCode()).isEqualTo(404);
	}

	@Test
	void theCommandLineSendsTheFileStraightToTheStoreAndResumesAfterAKill() throws Exception {
		String name = "directcli" + Long.toString(System.nanoTime() % 100_000_000L, 36);
		ApiClient owner = new ApiClient("http://127.0.0.1:" + port).signUp(name, PASSWORD);
		Path config = Files.createTempDirectory("direct-cli-");
		Cli login = cli(config, PASSWORD + "\n", "login", "-u", name, "--password-stdin");
		Cli.Ran loggedIn = login.finish();
		assertThat(loggedIn.exitCode()).as(loggedIn.toString()).isZero();

		// Slowed down so that it can be killed (SIGKILL: no hooks run) once a part is in the store.
		String[] upload = { "upload", clip.toString(), "--title", "From the command line", "--visibility", "public" };
		Cli first = cli(config, null, concat(upload, "--limit-rate", "2M"));
		String path = awaitRemembered(config);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (ApiClient.json(owner.get(path)).path("parts").isEmpty()) {
			assertThat(System.nanoTime()).as("a part in the store within 60 s").isLessThan(deadline);
			Thread.sleep(50);
		}
		first.process.toHandle().destroyForcibly();
		first.finish();
		int inStore = ApiClient.json(owner.get(path)).path("parts").size();
		assertThat(inStore).isBetween(1, 2);

		Cli resumed = cli(config, null, upload);
		Cli.Ran ran = resumed.finish();
		assertThat(ran.exitCode()).as(ran.toString()).isZero();
		assertThat(ran.stderr()).contains("resuming at").contains("already in storage").contains("resumed at");
		String id = ran.stdout().strip();
		assertThat(path).endsWith("/" + id);
		JsonNode video = owner.awaitFinal(id, Duration.ofMinutes(4));
		assertThat(video.path("status").asString()).as(video.toString()).isEqualTo("READY");
		try (S3Client s3 = S3.client()) {
			byte[] original = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("originals/" + id)).asByteArray();
			assertThat(original).as("the original, byte for byte").isEqualTo(Files.readAllBytes(clip));
		}
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	/** The upload's path, as the command line remembers it for resuming. */
	private static String awaitRemembered(Path config) throws Exception {
		Path file = config.resolve("uploads.json");
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			if (Files.exists(file)) {
				JsonNode uploads = ApiClient.JSON.readTree(Files.readString(file)).path("uploads");
				for (JsonNode entry : uploads) {
					if (entry.path("url").asString("").startsWith("/api/direct-uploads/")) {
						return entry.path("url").asString();
					}
				}
			}
			assertThat(System.nanoTime()).as("the upload remembered within 60 s").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private Cli cli(Path config, String stdin, String... args) throws IOException {
		ProcessBuilder builder = ServerProcess.commandLine(config, "http://127.0.0.1:" + port, List.of(args));
		Path out = Files.createTempFile(config, "out-", ".txt");
		Path err = Files.createTempFile(config, "err-", ".txt");
		builder.redirectOutput(out.toFile()).redirectError(err.toFile());
		Process process = ChildProcesses.start(builder);
		try (var in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		return new Cli(process, out, err);
	}

	/** A command line run; its output goes to files, read when it ends. */
	record Cli(Process process, Path out, Path err) {

		record Ran(int exitCode, String stdout, String stderr) {
		}

		Ran finish() throws Exception {
			if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
				ChildProcesses.killTree(process);
				throw new AssertionError("the command line did not finish in 180 s");
			}
			return new Ran(process.exitValue(), Files.readString(out), Files.readString(err));
		}
	}
}
