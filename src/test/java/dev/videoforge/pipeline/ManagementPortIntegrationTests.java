package dev.videoforge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.ServerProcess;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code management.server.port}, metrics are scraped there without a token, and the public port has none. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ManagementPortIntegrationTests {

	static final int MANAGEMENT_PORT;

	static {
		try {
			MANAGEMENT_PORT = ServerProcess.freePort();
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		var dir = Files.createTempDirectory("videoforge-management-");
		registry.add("videoforge.data-dir", dir::toString);
		registry.add("management.server.port", () -> MANAGEMENT_PORT);
		registry.add("management.server.address", () -> "127.0.0.1");
	}

	@Value("${local.server.port}")
	int port;

	@Test
	void metricsAreOnTheManagementPortOnly() throws Exception {
		var scraped = new ApiClient("http://127.0.0.1:" + MANAGEMENT_PORT).get("/actuator/prometheus");
		assertThat(scraped.statusCode()).isEqualTo(200);
		assertThat(scraped.body()).contains("jvm_memory_used_bytes");

		var publicPort = new ApiClient("http://127.0.0.1:" + port).get("/actuator/prometheus");
		assertThat(publicPort.statusCode()).isIn(401, 404);
		assertThat(publicPort.body()).doesNotContain("jvm_memory_used_bytes");
	}
}
