package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.RealParts;
import dev.videoforge.support.RequiresPostgres;
import dev.videoforge.support.ServerProcess;
import dev.videoforge.support.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The seed architecture as separate operating-system processes on loopback: a gateway, a gallery,
 * a streaming service and two processors, on PostgreSQL, an S3-compatible store (S3Proxy) and an
 * SQS-compatible queue (ElasticMQ). Everything a user does goes through the gateway. The video is
 * long for the processors' settings, so it is cut into chunks that both encode; one processor is
 * killed mid-chunk and the other finishes the video.
 */
@RequiresPostgres
class SplitRolesIntegrationTests {

	/** The five start in parallel (the common pool may have one thread). */
	private static final java.util.concurrent.ExecutorService STARTERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

	@TempDir
	Path temp;

	@Test
	void uploadTranscodeAndStreamThroughTheGatewayWhileAProcessorDies() throws Exception {
		Path source = Media.testClip(temp.resolve("source.mp4"), "1280x720", 14);
		String schema = "vf_split_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

		S3Proxy s3 = RealParts.s3Proxy();
		String s3Endpoint = "http://127.0.0.1:" + s3.getPort();
		try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3Endpoint)).region(Region.US_EAST_1)
				.forcePathStyle(true)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-key")))
				.build()) {
			client.createBucket(r -> r.bucket("fleet"));
		}
		SQSRestServer sqs = RealParts.elasticMq();
		String sqsEndpoint = "http://127.0.0.1:" + sqs.waitUntilStarted().localAddress().getPort();

		List<String> jvm = List.of("-Daws.accessKeyId=access", "-Daws.secretAccessKey=secret-key");
		List<String> common = List.of(
				"--spring.datasource.url=" + TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=" + TestDatabases.POSTGRES_USER, "--spring.datasource.password=",
				"--spring.flyway.schemas=" + schema, "--spring.flyway.create-schemas=true",
				"--videoforge.storage.type=s3", "--videoforge.storage.s3.bucket=fleet",
				"--videoforge.storage.s3.endpoint=" + s3Endpoint, "--videoforge.storage.s3.path-style=true",
				"--videoforge.queue.type=sqs", "--videoforge.queue.sqs.endpoint=" + sqsEndpoint,
				"--videoforge.queue.sqs.prefix=" + schema + "-", "--videoforge.queue.visibility-timeout=4s",
				"--videoforge.queue.poll-interval=200ms", "--videoforge.transcode.preset=medium",
				"--videoforge.auth.jwt-secret=a-secret-shared-by-the-whole-fleet-0123456789",
				"--videoforge.auth.setup-token=the-fleet-setup-token-0123456789",
				"--videoforge.queue.fleet-report-interval=1s", "--videoforge.queue.fleet-timeout=5s",
				"--videoforge.streaming.signing.keys.k1=a-url-signing-key-shared-by-the-fleet-0123",
				"--logging.level.dev.videoforge=DEBUG");

		int galleryPort = ServerProcess.freePort();
		int streamingPort = ServerProcess.freePort();
		int deadPort = ServerProcess.freePort(); // a gallery instance that never came up
		List<ServerProcess> started = new ArrayList<>();
		List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
		try {
			// The gallery trusts the gateway to say who the client is; its own per-address limit is
			// tiny, to show none applies behind the gateway (every request would come from one address).
			var gallery = start(started, galleryPort, "gallery", jvm, common, "--videoforge.gateway.trusted-proxies=127.0.0.1",
					"--videoforge.rate-limit.api-per-minute=3");
			var streaming = start(started, streamingPort, "streaming", jvm, common);
			// 14 s is long here: three chunks of one 4 s segment (the last one takes what is left).
			String[] chunked = {"--videoforge.transcode.chunk-threshold=10s", "--videoforge.transcode.chunk-seconds=4"};
			var p1 = start(started, ServerProcess.freePort(), "processor-1", jvm, common, chunked);
			var p2 = start(started, ServerProcess.freePort(), "processor-2", jvm, common, chunked);
			// Two gateways, as behind a load balancer with no sticky routing.
			String[] gatewayArgs = {
					"--videoforge.gateway.services.gallery=http://127.0.0.1:" + deadPort + ",http://127.0.0.1:" + galleryPort,
					"--videoforge.gateway.services.streaming=http://127.0.0.1:" + streamingPort,
					"--videoforge.gateway.health-interval=1s",
					// The test plays the load balancer in front of the gateways, naming clients in X-Forwarded-For.
					"--videoforge.gateway.trusted-proxies=127.0.0.1",
					// Small enough to count across both gateways below.
					"--videoforge.rate-limit.register-per-hour=4" };
			var gateway = start(started, ServerProcess.freePort(), "gateway-1", jvm, common, gatewayArgs);
			var gateway2 = start(started, ServerProcess.freePort(), "gateway-2", jvm, common, gatewayArgs);
			starting.addAll(List.of(gallery, streaming, p1, p2, gateway, gateway2));
			CompletableFuture.allOf(gallery, streaming, p1, p2, gateway, gateway2).join();
			ServerProcess first = gateway.join();
			ServerProcess edge = gateway2.join();

			// A limit holds once for the fleet: one client's sign-ups spread over both gateways get
			// the four an hour between them (each gateway alone would allow four).
			for (int i = 1; i <= 5; i++) {
				ServerProcess via = i % 2 == 1 ? first : edge;
				var registered = new ApiClient(via.base()).raw(new ApiClient(via.base()).request("/api/auth/register")
						.header("X-Forwarded-For", "198.51.100.77").header("Content-Type", "application/json")
						.POST(java.net.http.HttpRequest.BodyPublishers.ofString(
								"{\"username\":\"limited" + i + "\",\"password\":\"a long enough passphrase " + i + "\"}")));
				assertThat(registered.statusCode()).as("sign-up %d through gateway %s: %s", i, i % 2 == 1 ? 1 : 2, registered.body())
						.isEqualTo(i <= 4 ? 201 : 429);
			}

			// Everything through the gateways: sign-up (auth runs in every role), tus upload (the
			// gateways' own). The upload starts through gateway 1, which is SIGKILLed the moment its
			// chunk is acknowledged; gateway 2 answers where it stands and takes the rest.
			ApiClient viaFirst = new ApiClient(first.base()).signUp("alice", "correct horse battery");
			ApiClient alice = new ApiClient(edge.base()).as(viaFirst.token());
			byte[] bytes = Files.readAllBytes(source);
			int cut = Math.min(256 * 1024, bytes.length / 2);
			String location = viaFirst.tusCreate(bytes.length, java.util.Map.of("filename", "fleet.mp4", "title", "Across the fleet",
					"visibility", "PUBLIC")).headers().firstValue("Location").orElseThrow();
			String id = location.substring(location.lastIndexOf('/') + 1);
			assertThat(viaFirst.tusPatch(location, 0, java.util.Arrays.copyOfRange(bytes, 0, cut), null).statusCode()).isEqualTo(204);
			first.kill();
			assertThat(alice.tusHead(location).headers().firstValue("Upload-Offset")).hasValue(String.valueOf(cut));
			for (int offset = cut; offset < bytes.length; offset += 256 * 1024) {
				int end = Math.min(bytes.length, offset + 256 * 1024);
				assertThat(alice.tusPatch(location, offset, java.util.Arrays.copyOfRange(bytes, offset, end), null).statusCode())
						.as("chunk at %d through gateway 2", offset).isEqualTo(204);
			}

			// Gallery reads go to the gallery process (proxied), whatever the dead instance does.
			for (int i = 0; i < 6; i++) {
				assertThat(alice.get("/api/gallery/videos/" + id).statusCode()).isEqualTo(200);
			}
			// The admin figures are the fleet's, though the gallery that answers runs no worker: both
			// processors' transcode pools, and the jobs they run on the video just uploaded.
			ApiClient admin = new ApiClient(edge.base()).signUp("root", "the fleet's own administrator",
					"the-fleet-setup-token-0123456789");
			awaitFigures(admin, f -> f.path("processors").asInt() == 2 && f.path("workers").asInt() >= 1, Duration.ofMinutes(1));
			JsonNode pools = ApiClient.json(admin.get("/api/admin/workers"));
			List<String> queues = new ArrayList<>();
			pools.forEach(pool -> queues.add(pool.path("queue").asString()));
			assertThat(queues).as("%s", pools).containsExactlyInAnyOrder("transcode", "transcode", "webhook", "webhook");

			// Kill a processor while it encodes a chunk; the other must encode that chunk and finish.
			String[] running = awaitChunkRunning(Duration.ofMinutes(3));
			ServerProcess victim = (running[0].equals("processor-1") ? p1 : p2).join();
			String survivor = running[0].equals("processor-1") ? "processor-2" : "processor-1";
			victim.kill();
			// The killed processor never said goodbye: it drops out of the figures once it is silent.
			awaitFigures(admin, f -> f.path("processors").asInt() == 1, Duration.ofSeconds(30));

			JsonNode video = alice.awaitFinal(id, Duration.ofMinutes(5));
			assertThat(video.path("status").asString()).as("%s", video).isEqualTo("READY");
			String both = log("processor-1") + log("processor-2");
			assertThat(java.util.regex.Pattern.compile("video " + id + ": [\\d.]+ s cut into (\\d+) chunks").matcher(both).results()
					.map(r -> r.group(1)).toList()).as("plans made").containsExactly("3");
			assertThat(log(survivor)).as("the killed processor's chunk job, taken over")
					.contains("job " + running[1] + " transcode/chunk attempt 2 started");
			for (int chunk = 1; chunk <= 3; chunk++) {
				assertThat(both).contains("video " + id + ": chunk " + chunk + "/3 stored");
			}
			assertThat(video.path("qualities").toString()).isEqualTo("[\"720p\",\"480p\",\"360p\",\"240p\"]");

			// Every quality streams through the gateway from the streaming process, out of S3.
			var listing = alice.get("/api/stream/" + id + "/qualities");
			assertThat(listing.statusCode()).isEqualTo(200);
			JsonNode qualities = ApiClient.json(listing).path("qualities");
			assertThat(qualities.size()).as("qualities in %s", listing.body()).isEqualTo(4);
			var decodedSource = dev.videoforge.support.Renditions.decode(source.toString());
			for (JsonNode quality : qualities) {
				String url = quality.path("url").asString();
				dev.videoforge.support.Renditions.assertRendition(url.startsWith("http") ? url : edge.base() + url, decodedSource, true);
			}
			assertThat(log("streaming")).contains("GET /api/stream/" + id);

			// A request id given at the edge reaches the service that answers, and comes back.
			var traced = alice.raw(alice.request("/api/gallery/videos/" + id).header("X-Request-Id", "trace-" + id).GET());
			assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("trace-" + id);
			assertThat(log("gallery")).contains("[trace-" + id + "]");
			// And one is made up when the caller gives none.
			assertThat(alice.get("/api/gallery/videos").headers().firstValue("X-Request-Id")).isPresent();

			// Behind the gateway the gallery sees each client's own address: one client's ten status
			// streams fill its own share, not everyone's; and a client cannot pass for another.
			String pending = alice.tusCreate(1000, java.util.Map.of("filename", "later.mp4", "title", "Later")).headers()
					.firstValue("Location").orElseThrow();
			String events = "/api/gallery/videos/" + pending.substring(pending.lastIndexOf('/') + 1) + "/events";
			java.net.http.HttpClient sse = java.net.http.HttpClient.newHttpClient();
			List<java.net.http.HttpResponse<java.io.InputStream>> open = new ArrayList<>();
			try {
				for (int i = 0; i < 10; i++) {
					var stream = sse.send(alice.request(events).timeout(Duration.ofSeconds(20)).header("X-Forwarded-For", "198.51.100.7")
							.GET().build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
					assertThat(stream.statusCode()).as("stream " + (i + 1)).isEqualTo(200);
					open.add(stream);
				}
				var eleventh = alice.raw(alice.request(events).header("X-Forwarded-For", "198.51.100.7").GET());
				assertThat(eleventh.statusCode()).isEqualTo(429);
				var spoofed = alice.raw(alice.request(events).header("X-Forwarded-For", "203.0.113.50, 198.51.100.7").GET());
				assertThat(spoofed.statusCode()).as("an address put in front by the client").isEqualTo(429);
				var other = sse.send(alice.request(events).timeout(Duration.ofSeconds(20)).header("X-Forwarded-For", "198.51.100.8")
						.GET().build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
				assertThat(other.statusCode()).as("another client").isEqualTo(200);
				open.add(other);
			}
			finally {
				for (var stream : open) {
					stream.body().close();
				}
			}

			// Tokens are verified at the edge.
			var forged = new ApiClient(edge.base()).as("not-a-token").get("/api/gallery/videos");
			assertThat(forged.statusCode()).isEqualTo(401);

			// With its only streaming instance gone, the gateway says so: 503 and the error JSON.
			streaming.join().kill();
			var down = alice.get("/api/stream/" + id + "/qualities");
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(ApiClient.json(down).path("error").asString()).isEqualTo("service_unavailable");
			assertThat(log("gateway-2")).contains("instance http://127.0.0.1:" + deadPort + " is down");
		}
		finally {
			// When one failed to start, the others may still be starting: wait, so that all are closed.
			for (var future : starting) {
				try {
					future.join();
				}
				catch (RuntimeException e) {
					// reported above
				}
			}
			for (ServerProcess process : started) {
				process.close();
			}
			sqs.stopAndWait();
			s3.stop();
			try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
				c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	/**
	 * Waits until a processor runs a chunk job (its start logged, its end not) and returns the
	 * processor's name and the job's id.
	 */
	private String[] awaitChunkRunning(Duration timeout) throws Exception {
		java.util.regex.Pattern started = java.util.regex.Pattern.compile("job (\\S+) transcode/chunk attempt 1 started on");
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			for (String name : List.of("processor-1", "processor-2")) {
				String text = log(name);
				var m = started.matcher(text);
				while (m.find()) {
					String job = m.group(1);
					if (!text.contains("job " + job + " transcode/chunk done in")) {
						return new String[] {name, job};
					}
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no processor encoded a chunk within " + timeout);
	}

	private String log(String name) throws Exception {
		return Files.readString(temp.resolve(name + ".log"));
	}

	/** The admin figures, polled until {@code wanted} holds (or the deadline fails the test). */
	private static JsonNode awaitFigures(ApiClient admin, java.util.function.Predicate<JsonNode> wanted, Duration within)
			throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		JsonNode figures = null;
		while (System.nanoTime() < deadline) {
			var response = admin.get("/api/admin/queue");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			figures = ApiClient.json(response);
			if (wanted.test(figures)) {
				return figures;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("admin figures never as wanted within " + within + "; last: " + figures);
	}

	private CompletableFuture<ServerProcess> start(List<ServerProcess> started, int port, String name, List<String> jvm,
			List<String> common, String... extra) {
		String role = name.replaceAll("-\\d+$", "");
		List<String> args = new ArrayList<>(common);
		args.add("--videoforge.roles=" + role);
		args.add("--videoforge.data-dir=" + temp.resolve("data-" + name));
		args.addAll(List.of(extra));
		return CompletableFuture.supplyAsync(() -> {
			try {
				ServerProcess process = ServerProcess.start(port, temp.resolve(name + ".log"), jvm, args.toArray(String[]::new));
				synchronized (started) {
					started.add(process);
				}
				return process;
			}
			catch (Exception e) {
				throw new IllegalStateException(name + " did not start", e);
			}
		}, STARTERS);
	}
}
