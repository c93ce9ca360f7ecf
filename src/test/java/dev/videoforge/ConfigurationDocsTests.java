package dev.videoforge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/CONFIGURATION.md stays the reference of every setting: it names each {@code videoforge.*}
 * setting that spring-boot-configuration-processor finds in the code (the
 * {@code @ConfigurationProperties} records, plus additional-spring-configuration-metadata.json for
 * the few read directly), and nothing that no longer exists.
 */
class ConfigurationDocsTests {

	private static final Pattern NAME = Pattern.compile("`([^`]+)`");

	/** The settings the build found in the code. */
	private static Set<String> generated() throws Exception {
		Path metadata = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
		assertThat(metadata).as("the configuration processor ran").exists();
		JsonNode root = JsonMapper.builder().build().readTree(Files.readString(metadata));
		Set<String> names = new TreeSet<>();
		for (JsonNode property : root.path("properties")) {
			String name = property.path("name").asString();
			if (name.startsWith("videoforge.")) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * The names in the first column of the tables: {@code `videoforge.a.b`} in full, then, after
	 * {@code /}, siblings by their last part ({@code `c`} or {@code `.c`} is {@code videoforge.a.c});
	 * a map's {@code .<key>} is left off.
	 */
	private static Set<String> documented() throws Exception {
		Set<String> names = new TreeSet<>();
		for (String line : Files.readAllLines(Path.of("docs/CONFIGURATION.md"))) {
			if (!line.startsWith("| `")) {
				continue;
			}
			String first = line.split("\\|")[1];
			String full = null;
			for (String part : first.split(" / ")) {
				Matcher m = NAME.matcher(part);
				if (!m.find()) {
					continue;
				}
				String name = m.group(1).replaceAll("\\.<[^>]+>$", "");
				if (full == null) {
					full = name;
				}
				else if (!name.contains(".") || name.startsWith(".")) {
					name = full.substring(0, full.lastIndexOf('.') + 1) + name.replaceFirst("^\\.", "");
				}
				if (name.startsWith("videoforge.")) {
					names.add(name);
				}
			}
		}
		return names;
	}

	@Test
	void everySettingInTheCodeIsDocumented() throws Exception {
		assertThat(documented()).containsAll(generated());
	}

	@Test
	void everyDocumentedSettingIsInTheCode() throws Exception {
		assertThat(generated()).containsAll(documented());
	}
}
