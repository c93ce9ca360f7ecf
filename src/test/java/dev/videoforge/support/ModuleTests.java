package dev.videoforge.support;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What the module tests ({@code @ApplicationModuleTest}) share. */
public final class ModuleTests {

	private ModuleTests() {
	}

	/**
	 * A data folder of the test's own, and the processor role only: the modules' domain loads, no
	 * web endpoint does (the gallery's need the streaming module's URLs, the gateway's the upload
	 * endpoints' modules).
	 */
	public static void domainOnly(DynamicPropertyRegistry registry, String name) throws IOException {
		var data = Files.createTempDirectory("videoforge-" + name + "-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("videoforge.roles", () -> "processor");
	}

	/** An account row (videos need their owner), as the caller who acts for it. */
	public static CurrentUser account(JdbcClient jdbc, String name, String privileges) {
		String id = Ids.newId();
		jdbc.sql("INSERT INTO users (id, username, password_hash, roles, created_at) VALUES (?, ?, 'x', ?, ?)")
				.params(id, name + id, privileges, OffsetDateTime.now()).update();
		return new CurrentUser(id, name + id, List.of(privileges.split(",")));
	}
}
