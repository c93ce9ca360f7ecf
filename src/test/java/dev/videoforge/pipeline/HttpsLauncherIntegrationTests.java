package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.support.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./videoforge up --https}, as a user runs it: a self-signed certificate for localhost is
 * made in the data directory and the server answers HTTPS only.
 */
class HttpsLauncherIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void upWithHttpsServesTlsWithASelfSignedCertificateForLocalhost() throws Exception {
		ServerProcess.jar(); // built by 'package' before integration tests, so the launcher does not build
		int port = ServerProcess.freePort();
		Path data = temp.resolve("data");
		Path log = temp.resolve("up.log");
		Process up = new ProcessBuilder("./videoforge", "up", "--https", "--port", String.valueOf(port), "--data", data.toString())
				.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			Path store = data.resolve("tls/localhost.p12");
			KeyStore keys = KeyStore.getInstance("PKCS12");
			HttpResponse<String> health = null;
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (health == null && System.nanoTime() < deadline) {
				assertThat(up.isAlive()).as(() -> read(log)).isTrue();
				// The launcher moves the keystore into place last, after its password file.
				if (Files.exists(store)) {
					try (InputStream in = Files.newInputStream(store)) {
						keys.load(in, Files.readString(data.resolve("tls/password")).toCharArray());
					}
					try {
						health = trusting(keys).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health"))
								.build(), HttpResponse.BodyHandlers.ofString());
					}
					catch (IOException notYet) {
						Thread.sleep(300);
					}
				}
				else {
					Thread.sleep(300);
				}
			}
			assertThat(health).as(() -> read(log)).isNotNull();
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("UP");
			assertThat(read(log)).contains("starting on https://localhost:" + port);

			// The first start says where the administrator's one-time setup token is (nobody is admin by signing up first).
			Path setupToken = data.resolve("secrets").resolve("setup-token").toAbsolutePath().normalize();
			long logDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!read(log).contains(setupToken.toString()) && System.nanoTime() < logDeadline) {
				Thread.sleep(200);
			}
			assertThat(read(log)).contains("setup token is in " + setupToken);
			assertThat(Files.readString(setupToken).trim()).hasSizeGreaterThanOrEqualTo(32);

			X509Certificate certificate = (X509Certificate) keys.getCertificate("videoforge");
			assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
			assertThat(certificate.getSubjectAlternativeNames().toString()).contains("localhost").contains("127.0.0.1");

			// Plain HTTP on the same port is not served: Tomcat's TLS connector sees no ClientHello and
			// answers its fixed 400 "requires TLS" before hanging up (read to the end on a raw socket,
			// so a client library's way of taking the hang-up cannot pass for it).
			try (Socket socket = new Socket("localhost", port)) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write(("GET /actuator/health HTTP/1.1\r\nHost: localhost:" + port
						+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				String plain = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
				assertThat(plain).as("plain HTTP answer").startsWith("HTTP/1.1 400").contains("requires TLS")
						.doesNotContain("UP");
			}
			// A client that does not trust the self-signed certificate fails the handshake.
			assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
					HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class)
					.hasMessageContaining("PKIX path building failed");
		}
		finally {
			up.destroy();
			up.waitFor();
		}
	}

	private static HttpClient trusting(KeyStore keys) throws Exception {
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(keys);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, trust.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException e) {
			return e.toString();
		}
	}
}
