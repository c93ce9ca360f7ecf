package dev.videoforge.support;

import java.io.IOException;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket of its own S3Proxy ({@link RealParts#s3Proxy()}) for one test class whose application
 * stores in S3: started with the class, stopped after its tests. The class names the bucket in its
 * {@code videoforge.storage.s3.bucket} property and passes the endpoint on:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3Bucket S3 = new S3Bucket("videoforge-app");
 *
 * @DynamicPropertySource
 * static void s3(DynamicPropertyRegistry registry) throws IOException {
 *     S3.settings(registry);
 * }
 * }</pre>
 */
public final class S3Bucket implements AfterAllCallback {

	private final String name;
	private final S3Proxy server;

	public S3Bucket(String name) {
		this.name = name;
		this.server = RealParts.s3Proxy();
		try (S3Client s3 = client()) {
			s3.createBucket(r -> r.bucket(name));
		}
	}

	public String name() {
		return name;
	}

	/** Where the server answers: {@code http://127.0.0.1:<port>}. */
	public String endpoint() {
		return "http://127.0.0.1:" + server.getPort();
	}

	/** A client of the server (the caller closes it). */
	public S3Client client() {
		return RealParts.s3Client(server);
	}

	/** The application's storage endpoint, credentials and data folder ({@link RealParts#s3Settings}). */
	public void settings(DynamicPropertyRegistry registry) throws IOException {
		RealParts.s3Settings(registry, server);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		server.stop();
	}
}
