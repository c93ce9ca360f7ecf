package dev.videoforge.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Example secrets (the kind deploy files used to ship) stop the start; none is shipped any more. */
class PlaceholderSecretsCheckTests {

	private static StandardEnvironment environment(Map<String, Object> values) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", values));
		return environment;
	}

	private static void check(Map<String, Object> values) {
		new PlaceholderSecretsCheck().postProcessEnvironment(environment(values), new SpringApplication());
	}

	@Test
	void theOldShippedPlaceholdersAreRefusedAndNamed() {
		for (String value : List.of("change-me-to-32-or-more-random-characters", "change-me-too-32-or-more-random-characters",
				"replace-me-with-32-or-more-random-characters", "replace-me", "CHANGE_ME")) {
			assertThatThrownBy(() -> check(Map.of("VIDEOFORGE_AUTH_JWT_SECRET", value, "videoforge.title", "change me")))
					.as(value).isInstanceOf(IllegalStateException.class).hasMessageContaining("VIDEOFORGE_AUTH_JWT_SECRET")
					.hasMessageNotContaining("videoforge.title").hasMessageNotContaining(value);
		}
		assertThatThrownBy(() -> check(Map.of("videoforge.streaming.signing.keys.k1", "replace-me-please-with-something",
				"videoforge.auth.setup-token", "change-me"))).hasMessageContaining("videoforge.streaming.signing.keys.k1")
				.hasMessageContaining("videoforge.auth.setup-token");
	}

	@Test
	void realSecretsPass() {
		check(Map.of("VIDEOFORGE_AUTH_JWT_SECRET", "q0VtS6n3xRkz1n8m2Yt7pLw9cHf4dJb5", "videoforge.auth.totp-key",
				"a long random exchange of characters", "SPRING_DATASOURCE_PASSWORD", "videoforge"));
	}

	/** Every literal value of a secret-looking key in deploy/ (YAML {@code KEY: value}) is checked. */
	@Test
	void noDeployFileShipsAPlaceholderSecret() throws Exception {
		Pattern entry = Pattern.compile("^\\s*([A-Za-z0-9_.\\-]+)\\s*:\\s*(\\S.*)$");
		List<String> found = new ArrayList<>();
		int checked = 0;
		try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				for (String line : Files.readAllLines(file)) {
					Matcher m = entry.matcher(line);
					if (m.matches() && !line.trim().startsWith("#")) {
						checked++;
						try {
							check(Map.of(m.group(1), m.group(2)));
						}
						catch (IllegalStateException e) {
							found.add(file + ": " + line.trim());
						}
					}
				}
			}
		}
		assertThat(checked).as("the deploy files were read").isGreaterThan(20);
		assertThat(found).isEmpty();
	}
}
