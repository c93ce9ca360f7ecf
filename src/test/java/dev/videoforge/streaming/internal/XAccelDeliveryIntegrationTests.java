package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import dev.videoforge.support.RealParts;
import dev.videoforge.support.Renditions;
import dev.videoforge.support.ServerProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Delivery by X-Accel-Redirect with a real nginx in front (deploy/nginx/videoforge.conf's two
 * locations): VideoForge decides whether a request may read a file and names it; nginx sends it,
 * with ranges, from the storage folder. Checked as a player sees it, through nginx: the bytes are
 * the stored file's, the headers VideoForge's, the rendition decodes, a refused request gets no
 * byte, and the internal location cannot be asked for directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.streaming.delivery=x-accel",
				"videoforge.gateway.trusted-proxies=127.0.0.1" })
class XAccelDeliveryIntegrationTests {

	static final Path NGINX = Path.of("/usr/sbin/nginx");
	static final Path DATA;
	static Process nginx;

	static {
		try {
			DATA = Files.createTempDirectory("videoforge-xaccel-");
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("videoforge.data-dir", DATA::toString);
	}

	@BeforeAll
	static void requireNginx() {
		RealParts.require(Files.isExecutable(NGINX) ? null
				: "nginx (" + NGINX + ") is missing: 'apt-get install nginx' (./videoforge test installs it when run as root)");
	}

	@AfterAll
	static void stopNginx() {
		if (nginx != null) {
			nginx.destroy();
		}
	}

	@Value("${local.server.port}")
	int port;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** nginx on a free port in front of the app, as the sample configuration sets it up. */
	private String startNginx() throws Exception {
		Path prefix = Files.createDirectories(DATA.resolve("nginx"));
		int nginxPort = ServerProcess.freePort();
		String conf = """
				daemon off;
				# One process, as the user running the tests: a root master would hand the work to
				# "nobody", who cannot read the test's private folders.
				master_process off;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log;
				events { worker_connections 64; }
				http {
				    access_log off;
				    client_body_temp_path %1$s/body;
				    proxy_temp_path %1$s/proxy;
				    fastcgi_temp_path %1$s/fastcgi;
				    uwsgi_temp_path %1$s/uwsgi;
				    scgi_temp_path %1$s/scgi;
				    default_type application/octet-stream;
				    server {
				        listen 127.0.0.1:%2$d;
				        client_max_body_size 0;
				        location / {
				            proxy_pass http://127.0.0.1:%3$d;
				            proxy_http_version 1.1;
				            proxy_set_header Connection "";
				            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
				        }
				        location /_videoforge_blobs/ {
				            internal;
				            alias %4$s/;
				        }
				    }
				}
				""".formatted(prefix, nginxPort, port, DATA.resolve("blobs"));
		Files.writeString(prefix.resolve("nginx.conf"), conf);
		nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
				"-e", prefix.resolve("error.log").toString()).redirectErrorStream(true)
				.redirectOutput(prefix.resolve("stdout.log").toFile()).start();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try (Socket socket = new Socket("127.0.0.1", nginxPort)) {
				return "http://127.0.0.1:" + nginxPort;
			}
			catch (IOException notYet) {
				assertThat(nginx.isAlive()).as("nginx exited: %s", Files.exists(prefix.resolve("error.log"))
						? Files.readString(prefix.resolve("error.log")) : "").isTrue();
				assertThat(System.nanoTime()).as("nginx listening within 20 s").isLessThan(deadline);
				Thread.sleep(50);
			}
		}
	}

	private static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void nginxSendsTheFilesVideoForgeAuthorizes() throws Exception {
		String front = startNginx();
		Path source = Media.real("av1_1080x720_aac.mp4");
		ApiClient alice = new ApiClient(front).signUp("alice", "correct horse battery");
		var upload = alice.multipart(source, "Behind nginx", "PUBLIC");
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
		String id = ApiClient.json(upload).path("id").asString();
		assertThat(alice.awaitFinal(id, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");

		// The quality's playlist comes from VideoForge through nginx; it names the files.
		String quality = ApiClient.json(alice.get("/api/stream/" + id + "/qualities")).path("qualities").get(0).path("name")
				.asString();
		var playlist = alice.get("/api/stream/" + id + "/" + quality + "/index.m3u8");
		assertThat(playlist.statusCode()).isEqualTo(200);
		Matcher init = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(playlist.body());
		assertThat(init.find()).as(playlist.body()).isTrue();
		Matcher segment = Pattern.compile("(?m)^([^#\\s][^\\s]*\\.m4s)$").matcher(playlist.body());
		assertThat(segment.find()).as(playlist.body()).isTrue();
		String segmentPath = "/api/stream/" + id + "/" + quality + "/" + segment.group(1);
		Path stored = DATA.resolve("blobs/renditions/" + id + "/" + quality + "/" + segment.group(1));

		// Asked of VideoForge itself: no bytes, only the name of the file for nginx.
		var bare = get("http://127.0.0.1:" + port + segmentPath);
		assertThat(bare.statusCode()).isEqualTo(200);
		assertThat(bare.body()).isEmpty();
		assertThat(bare.headers().firstValue("X-Accel-Redirect"))
				.hasValue("/_videoforge_blobs/renditions/" + id + "/" + quality + "/" + segment.group(1));

		// Through nginx: the stored bytes, with VideoForge's type and caching.
		var whole = get(front + segmentPath);
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.body()).isEqualTo(Files.readAllBytes(stored));
		assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
		assertThat(whole.headers().firstValue("Cache-Control").orElse("")).startsWith("public, max-age=");
		assertThat(whole.headers().firstValue("X-Accel-Redirect")).isEmpty();
		// nginx answers ranges from the file.
		var head = get(front + "/api/stream/" + id + "/" + quality + "/" + init.group(1), "Range", "bytes=0-7");
		assertThat(head.statusCode()).isEqualTo(206);
		assertThat(new String(head.body(), 4, 4)).isEqualTo("ftyp");
		// The internal location is not a way in.
		assertThat(get(front + "/_videoforge_blobs/renditions/" + id + "/" + quality + "/" + segment.group(1)).statusCode())
				.isEqualTo(404);
		// Every frame decodes through nginx, against the source.
		Renditions.assertRendition(front + "/api/stream/" + id + "/" + quality + "/index.m3u8",
				Renditions.decode(source.toString()), true);

		// Made private: someone else gets the error, not the file.
		assertThat(alice.send("PATCH", "/api/gallery/videos/" + id, Map.of("visibility", "PRIVATE")).statusCode())
				.isEqualTo(200);
		var refused = get(front + segmentPath);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(new String(refused.body())).contains("\"error\"").doesNotContain("ftyp");
		// Its owner still gets it, through nginx.
		assertThat(alice.getBytes(segmentPath).body()).isEqualTo(Files.readAllBytes(stored));
	}
}
