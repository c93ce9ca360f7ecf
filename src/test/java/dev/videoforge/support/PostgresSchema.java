package dev.videoforge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A schema of its own on the test PostgreSQL ({@link TestDatabases#POSTGRES_URL}) for one test
 * class's application, dropped with everything in it after the class's tests. Flyway creates it:
 * the class sets {@code spring.flyway.create-schemas=true} and passes the settings on:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresSchema SCHEMA = new PostgresSchema("vf_app_");
 *
 * @DynamicPropertySource
 * static void postgres(DynamicPropertyRegistry registry) throws IOException {
 *     SCHEMA.settings(registry);
 * }
 * }</pre>
 */
public final class PostgresSchema implements AfterAllCallback {

	private final String name;

	/** A fresh name: the prefix and ten random hex digits. */
	public PostgresSchema(String prefix) {
		this.name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

	public String name() {
		return name;
	}

	/** The application's data source on this schema, and a data folder of its own. */
	public void settings(DynamicPropertyRegistry registry) throws IOException {
		Path data = Files.createTempDirectory("videoforge-" + name + "-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("spring.datasource.url", () -> TestDatabases.POSTGRES_URL + "?currentSchema=" + name);
		registry.add("spring.datasource.username", () -> TestDatabases.POSTGRES_USER);
		registry.add("spring.datasource.password", () -> "");
		registry.add("spring.flyway.schemas", () -> name);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		if (TestDatabases.postgresProblem() != null) {
			return; // the class was failed or skipped for it (RequiresPostgres): there is nothing to drop
		}
		try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "")) {
			c.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
		}
	}
}
