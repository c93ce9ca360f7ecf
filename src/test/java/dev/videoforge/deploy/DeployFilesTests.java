package dev.videoforge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.shared.Role;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deploy files other than Kubernetes' ({@code KubernetesManifestsTests}): both Dockerfiles
 * linted (docker is not run here), the compose file and the SAM template parsed with SnakeYAML and
 * checked against the repository: what they copy exists or is what the build makes, every setting
 * they pass is one the application reads, every name they refer to is defined.
 */
class DeployFilesTests {

	// --- the repository's facts ---

	private static Document pom() throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
	}

	/** A child element of the project (not of its parent or dependencies). */
	private static String project(Document pom, String name) {
		var children = pom.getDocumentElement().getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i).getNodeName().equals(name)) {
				return children.item(i).getTextContent().trim();
			}
		}
		return null;
	}

	/** The jar the Maven build leaves in target/: the finalName if set, else artifactId-version. */
	private static String builtJar() throws Exception {
		Document pom = pom();
		var finalName = pom.getElementsByTagName("finalName");
		String name = finalName.getLength() > 0 ? finalName.item(0).getTextContent().trim()
				: project(pom, "artifactId") + "-" + project(pom, "version");
		return "target/" + name + ".jar";
	}

	private static int javaRelease() throws Exception {
		return Integer.parseInt(pom().getElementsByTagName("java.version").item(0).getTextContent().trim());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return (Map<String, Object>) new Yaml().load(in);
		}
	}

	private static int serverPort() throws IOException {
		@SuppressWarnings("unchecked")
		Map<String, Object> server = (Map<String, Object>) yaml(Path.of("src/main/resources/application.yaml")).get("server");
		return ((Number) server.get("port")).intValue();
	}

	private static void flatten(String prefix, Object value, Set<String> into) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, into));
		}
		else {
			into.add(prefix);
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/** Settings of a record bound at {@code prefix}: leaves, and prefixes under which anything goes (maps, lists). */
	private static void settingsOf(String prefix, Class<?> type, Set<String> leaves, Set<String> open) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + kebab(component.getName());
			Class<?> raw = component.getType();
			if (raw.isRecord() && raw.getName().startsWith("dev.videoforge")) {
				settingsOf(name, raw, leaves, open);
			}
			else if (Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
				leaves.add(name);
				open.add(name);
			}
			else {
				leaves.add(name);
			}
		}
	}

	/** What the application reads: its settings records, its YAML files and their ${PLACEHOLDERS}, Spring Boot's own. */
	record Settings(Set<String> names, Set<String> open, Set<String> placeholders) {

		/** Whether an environment variable binds to one of them, by Spring's own mapping of environment names. */
		boolean knows(String env) {
			if (placeholders.contains(env)) {
				return true;
			}
			var source = ConfigurationPropertySource
					.from(new SystemEnvironmentPropertySource("env", Map.<String, Object>of(env, "x")));
			for (String name : names) {
				if (!ConfigurationPropertyName.isValid(name)) {
					continue;
				}
				ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
				if (source.getConfigurationProperty(property) != null) {
					return true;
				}
				if (open.contains(name) && source.containsDescendantOf(property) == ConfigurationPropertyState.PRESENT) {
					return true;
				}
			}
			return false;
		}
	}

	private static Settings settings() throws Exception {
		Set<String> names = new HashSet<>();
		Set<String> open = new HashSet<>();
		Set<String> placeholders = new HashSet<>();
		var scanner = new ClassPathScanningCandidateComponentProvider(false) {
			@Override
			protected boolean isCandidateComponent(
					org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
				return true;
			}
		};
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		for (var candidate : scanner.findCandidateComponents("dev.videoforge")) {
			Class<?> type = Class.forName(candidate.getBeanClassName());
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			if (type.isRecord() && annotation != null) {
				String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
				settingsOf(prefix, type, names, open);
			}
		}
		assertThat(names).as("the settings records were found").contains("videoforge.storage.type", "videoforge.auth.jwt-secret");
		Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
		try (var files = Files.list(Path.of("src/main/resources"))) {
			for (Path file : files.filter(f -> f.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
				flatten("", yaml(file), names);
				Matcher m = placeholder.matcher(Files.readString(file));
				while (m.find()) {
					placeholders.add(m.group(1));
				}
			}
		}
		// Spring Boot's own settings, from the metadata its jars carry.
		for (Resource resource : new PathMatchingResourcePatternResolver()
				.getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
			try (InputStream in = resource.getInputStream()) {
				for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
					String name = property.path("name").asString();
					names.add(name);
					String type = property.path("type").asString("");
					if (type.startsWith("java.util.Map") || type.startsWith("java.util.List")) {
						open.add(name);
					}
				}
			}
		}
		assertThat(names).as("Spring Boot's metadata was found").contains("spring.datasource.url", "server.port");
		return new Settings(names, open, placeholders);
	}

	/** Read by the AWS SDK itself, not by Spring. */
	private static final Set<String> AWS_SDK = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
			"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE");

	// --- Dockerfiles ---

	/** One instruction: keyword and arguments, line continuations joined, comments dropped. */
	record Instruction(String keyword, String args) {
	}

	private static List<Instruction> dockerfile(Path file) throws IOException {
		List<Instruction> out = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : Files.readAllLines(file)) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
				continue;
			}
			if (trimmed.endsWith("\\")) {
				current.append(trimmed, 0, trimmed.length() - 1).append(' ');
				continue;
			}
			current.append(trimmed);
			String text = current.toString().strip();
			current.setLength(0);
			if (text.isEmpty()) {
				continue;
			}
			int space = text.indexOf(' ');
			out.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
		}
		return out;
	}

	private static List<String> all(List<Instruction> instructions, String keyword) {
		return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
	}

	private static List<String> execForm(String args) {
		assertThat(args).as("exec form (a JSON array), so signals reach java").startsWith("[").endsWith("]");
		List<String> out = new ArrayList<>();
		JsonMapper.builder().build().readTree(args).forEach(n -> out.add(n.asString()));
		return out;
	}

	/** Checks every FROM and COPY of a Dockerfile; returns the destinations copied to, by source. */
	private static Map<String, String> checkImagesAndCopies(Path file) throws Exception {
		List<Instruction> instructions = dockerfile(file);
		Map<String, List<String>> stageRuns = new LinkedHashMap<>();
		String stage = null;
		Map<String, String> copied = new LinkedHashMap<>();
		for (Instruction instruction : instructions) {
			switch (instruction.keyword()) {
				case "FROM" -> {
					String[] parts = instruction.args().split("\\s+");
					String image = parts[0];
					String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
					assertThat(tag).as("%s: %s is pinned to a tag", file, image).isNotEmpty().isNotEqualTo("latest");
					Matcher java = Pattern.compile("(?:^|[^0-9])(\\d{2})(?:[^0-9]|$)").matcher(tag);
					assertThat(java.find()).as("%s: %s names its Java version", file, image).isTrue();
					assertThat(Integer.parseInt(java.group(1))).as("%s: %s runs the Java the build targets", file, image)
							.isGreaterThanOrEqualTo(javaRelease());
					stage = parts.length >= 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : "stage" + stageRuns.size();
					stageRuns.put(stage, new ArrayList<>());
				}
				case "RUN" -> stageRuns.get(stage).add(instruction.args());
				case "COPY", "ADD" -> {
					List<String> words = new ArrayList<>(List.of(instruction.args().split("\\s+")));
					String from = null;
					while (words.get(0).startsWith("--")) {
						String option = words.remove(0);
						if (option.startsWith("--from=")) {
							from = option.substring(7);
						}
					}
					assertThat(instruction.keyword()).as("%s: COPY, not ADD (no URLs or archives unpacked)", file).isEqualTo("COPY");
					String destination = words.remove(words.size() - 1);
					for (String source : words) {
						if (from == null) {
							if (source.startsWith("target/")) {
								assertThat(source).as("%s: the jar the Maven build makes", file).isEqualTo(builtJar());
							}
							else {
								assertThat(Path.of(source)).as("%s: COPY source in the repository", file).exists();
							}
						}
						else {
							assertThat(stageRuns).as("%s: COPY --from=%s names an earlier stage", file, from).containsKey(from);
							String made = String.join(" && ", stageRuns.get(from));
							String folder = source.replaceAll("/(BOOT-INF/.*)?$", "").replaceAll("/BOOT-INF/.*", "");
							assertThat(made).as("%s: stage %s makes %s", file, from, source).contains(folder);
							if (source.contains("BOOT-INF/")) {
								assertThat(made).as("%s: BOOT-INF comes from unpacking the Boot jar", file).contains("jar -xf");
							}
						}
						copied.put(source, destination);
					}
				}
				default -> {
				}
			}
		}
		return copied;
	}

	@Test
	void theImageCopiesTheBuiltJarAndRunsItAsANonRootUserWithFfmpegAndBubblewrap() throws Exception {
		Path file = Path.of("deploy/Dockerfile");
		Map<String, String> copied = checkImagesAndCopies(file);
		List<Instruction> instructions = dockerfile(file);
		assertThat(all(instructions, "FROM")).hasSize(1);
		assertThat(copied).containsKey(builtJar());
		String jarInImage = copied.get(builtJar());

		String runs = String.join("\n", all(instructions, "RUN"));
		Matcher install = Pattern.compile("apt-get install ([^&;]*)").matcher(runs);
		assertThat(install.find()).as("packages installed with apt-get").isTrue();
		assertThat(List.of(install.group(1).split("\\s+"))).contains("ffmpeg", "bubblewrap");

		List<String> users = all(instructions, "USER");
		assertThat(users).isNotEmpty();
		String user = users.get(users.size() - 1).split(":")[0];
		assertThat(user).isNotIn("root", "0");
		assertThat(runs).as("the user is created").containsPattern("useradd[^&]*\\b" + Pattern.quote(user) + "\\b");
		int userLine = instructions.indexOf(instructions.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).get());
		int entryLine = instructions.indexOf(instructions.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst().get());
		assertThat(userLine).as("USER before ENTRYPOINT").isLessThan(entryLine);

		// The data folder is the user's to write.
		String dataDir = all(instructions, "ENV").stream().map(e -> e.split("[= ]", 2)).filter(kv -> kv[0].equals("VIDEOFORGE_DATA_DIR"))
				.map(kv -> kv[1].strip()).findFirst().orElseThrow();
		assertThat(runs).containsPattern("chown[^&]*\\b" + Pattern.quote(user) + "\\b[^&]*" + Pattern.quote(dataDir) + "\\b");

		assertThat(all(instructions, "EXPOSE")).containsExactly(String.valueOf(serverPort()));
		List<String> entrypoint = execForm(all(instructions, "ENTRYPOINT").get(0));
		assertThat(entrypoint.get(0)).isEqualTo("java");
		assertThat(entrypoint.subList(entrypoint.indexOf("-jar"), entrypoint.size())).containsExactly("-jar", jarInImage);
		for (String healthcheck : all(instructions, "HEALTHCHECK")) {
			assertThat(healthcheck).contains("/actuator/health").contains(":" + serverPort());
		}
	}

	@Test
	void theLambdaImageUnpacksTheBuiltJarAndItsHandlerExists() throws Exception {
		Path file = Path.of("deploy/lambda/Dockerfile");
		Map<String, String> copied = checkImagesAndCopies(file);
		assertThat(copied).containsKey(builtJar()).containsKeys("/tmp/app/BOOT-INF/lib/", "/tmp/app/BOOT-INF/classes/");
		List<Instruction> instructions = dockerfile(file);
		List<String> cmd = execForm(all(instructions, "CMD").get(0));
		assertThat(cmd).hasSize(1);
		String[] handler = cmd.get(0).split("::");
		Path source = Path.of("src/main/java", handler[0].replace('.', '/') + ".java");
		assertThat(source).as("the handler class").exists();
		assertThat(Files.readString(source)).contains(" " + handler[1] + "(");
		Class<?> type = Class.forName(handler[0]);
		assertThat(type.getMethods()).anyMatch(m -> m.getName().equals(handler[1]));
		String env = String.join(" ", all(instructions, "ENV"));
		assertThat(env).contains("SPRING_PROFILES_ACTIVE=aws");
	}

	// --- compose ---

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> composeServices() throws IOException {
		Map<String, Object> compose = yaml(Path.of("deploy/compose/docker-compose.yml"));
		return (Map<String, Map<String, Object>>) compose.get("services");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> environment(Map<String, Object> service) {
		Object env = service.get("environment");
		Map<String, String> out = new LinkedHashMap<>();
		if (env instanceof Map<?, ?> map) {
			map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
		}
		else if (env instanceof List<?> list) {
			for (Object item : list) {
				String[] kv = String.valueOf(item).split("=", 2);
				out.put(kv[0], kv.length > 1 ? kv[1] : "");
			}
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static List<String> dependsOn(Map<String, Object> service) {
		Object value = service.get("depends_on");
		if (value instanceof Map<?, ?> map) {
			return map.keySet().stream().map(String::valueOf).toList();
		}
		return value == null ? List.of() : (List<String>) value;
	}

	@Test
	void everyComposeServiceHasAnImageAndDependsOnlyOnServicesThatExist() throws Exception {
		Map<String, Map<String, Object>> services = composeServices();
		assertThat(services).containsKeys("postgres", "gateway", "gallery", "streaming", "processor");
		@SuppressWarnings("unchecked")
		Set<String> volumes = ((Map<String, Object>) yaml(Path.of("deploy/compose/docker-compose.yml")).get("volumes")).keySet();
		services.forEach((name, service) -> {
			assertThat(service.containsKey("image") || service.containsKey("build")).as("%s has an image or a build", name).isTrue();
			if (service.get("image") instanceof String image) {
				assertThat(image).as("%s: image with a tag", name).contains(":");
			}
			assertThat(services.keySet()).as("%s depends on", name).containsAll(dependsOn(service));
			assertThat(dependsOn(service)).as("%s does not depend on itself", name).doesNotContain(name);
			Object mounts = service.get("volumes");
			if (mounts instanceof List<?> list) {
				for (Object mount : list) {
					String source = String.valueOf(mount).split(":")[0];
					if (!source.startsWith(".") && !source.startsWith("/")) {
						assertThat(volumes).as("%s mounts the declared volume %s", name, source).contains(source);
					}
				}
			}
		});
	}

	@Test
	void theVideoforgeServicesRunEveryRoleOfTheImageTheDockerfileBuilds() throws Exception {
		String version = project(pom(), "version").replace("-SNAPSHOT", "");
		Map<String, Map<String, Object>> services = composeServices();
		Set<String> roles = new TreeSet<>();
		services.forEach((name, service) -> {
			Map<String, String> env = environment(service);
			if (env.containsKey("VIDEOFORGE_ROLES")) {
				assertThat(service.get("image")).as(name).isEqualTo("videoforge:" + version);
				for (String role : env.get("VIDEOFORGE_ROLES").split(",")) {
					assertThat(Role.of(role)).as("%s: role", name).isNotNull();
					roles.add(role.strip());
				}
			}
		});
		assertThat(roles).containsExactlyInAnyOrderElementsOf(Arrays.stream(Role.values()).map(Role::key).toList());
		try {
			assertThat(Files.readString(Path.of("deploy/Dockerfile"))).contains("-t videoforge:" + version);
		}
		catch (IOException e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void everyComposeSettingIsOneTheApplicationReads() throws Exception {
		Settings settings = settings();
		Map<String, Map<String, Object>> services = composeServices();
		int checked = 0;
		for (var entry : services.entrySet()) {
			Map<String, String> env = environment(entry.getValue());
			if (!env.containsKey("VIDEOFORGE_ROLES")) {
				continue;
			}
			for (String name : env.keySet()) {
				assertThat(AWS_SDK.contains(name) || settings.knows(name)).as("%s: %s is a setting", entry.getKey(), name).isTrue();
				checked++;
			}
		}
		assertThat(checked).as("settings checked").isGreaterThan(10);
		// The check can fail: a misspelt setting is not known.
		assertThat(settings.knows("VIDEOFORGE_STORAGE_S3_BUCKETT")).isFalse();
		assertThat(settings.knows("VIDEOFORGE_STORAGE_S3_BUCKET")).isTrue();
	}

	@Test
	void onlyTheGatewayIsPublishedOnTheServerPortAndItProxiesToServicesThatExist() throws Exception {
		int port = serverPort();
		Map<String, Map<String, Object>> services = composeServices();
		List<String> published = new ArrayList<>();
		services.forEach((name, service) -> {
			Object ports = service.get("ports");
			if (ports instanceof List<?> list) {
				for (Object mapping : list) {
					String[] parts = String.valueOf(mapping).split(":");
					assertThat(parts[parts.length - 1]).as("%s publishes the server port", name).isEqualTo(String.valueOf(port));
					published.add(name);
				}
			}
		});
		assertThat(published).containsExactly("gateway");
		Map<String, String> gateway = environment(services.get("gateway"));
		for (String key : List.of("VIDEOFORGE_GATEWAY_SERVICES_GALLERY", "VIDEOFORGE_GATEWAY_SERVICES_STREAMING")) {
			java.net.URI target = java.net.URI.create(gateway.get(key));
			assertThat(services).as(key).containsKey(target.getHost());
			assertThat(target.getPort()).as(key).isEqualTo(port);
			assertThat(environment(services.get(target.getHost())).get("VIDEOFORGE_ROLES")).as(key)
					.isEqualTo(key.substring(key.lastIndexOf('_') + 1).toLowerCase(Locale.ROOT));
		}
	}

	// --- SAM template ---

	/** SafeConstructor that reads CloudFormation's short tags as their long form: {@code !Ref X} → {@code {Ref: X}}. */
	static final class CloudFormationConstructor extends SafeConstructor {
		CloudFormationConstructor() {
			super(new LoaderOptions());
			for (String function : List.of("Ref", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
					"FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Condition", "Transform", "Length", "ToJsonString")) {
				String key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
				yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
					@Override
					public Object construct(Node node) {
						Object value = switch (node) {
							case ScalarNode scalar -> constructScalar(scalar);
							case SequenceNode sequence -> constructSequence(sequence);
							case MappingNode mapping -> constructMapping(mapping);
							default -> throw new IllegalArgumentException("unexpected node " + node);
						};
						if (function.equals("GetAtt") && value instanceof String dotted) {
							value = List.of(dotted.split("\\.", 2));
						}
						return Map.of(key, value);
					}
				});
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> template() throws IOException {
		try (InputStream in = Files.newInputStream(Path.of("deploy/lambda/template.yaml"))) {
			return (Map<String, Object>) new Yaml(new CloudFormationConstructor()).load(in);
		}
	}

	/** Every name the template refers to: Ref targets, GetAtt resources, ${...} of Sub strings. */
	private static void references(Object value, Set<String> into) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((k, v) -> {
				if (k.equals("Ref")) {
					into.add(String.valueOf(v));
				}
				else if (k.equals("Fn::GetAtt")) {
					into.add(String.valueOf(((List<?>) v).get(0)));
				}
				else if (k.equals("Fn::Sub")) {
					String text = v instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(v);
					Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
					while (m.find()) {
						into.add(m.group(1).split("\\.")[0]);
					}
					if (v instanceof List<?> list) {
						references(list.get(1), into);
						((Map<?, ?>) list.get(1)).keySet().forEach(var -> into.remove(String.valueOf(var)));
					}
					return;
				}
				references(v, into);
			});
		}
		else if (value instanceof List<?> list) {
			list.forEach(item -> references(item, into));
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theSamTemplateRefersOnlyToWhatItDefinesAndUsesEveryParameter() throws Exception {
		Map<String, Object> template = template();
		assertThat(template).containsEntry("Transform", "AWS::Serverless-2016-10-31");
		Map<String, Object> parameters = (Map<String, Object>) template.get("Parameters");
		Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template.get("Resources");
		Set<String> referenced = new TreeSet<>();
		references(resources, referenced);
		references(template.get("Outputs"), referenced);
		assertThat(referenced).as("references found (the short tags were read)").contains("ImageUri", "Bucket");
		// SAM makes these implicit resources itself for functions with HttpApi events.
		Set<String> defined = new HashSet<>(parameters.keySet());
		defined.addAll(resources.keySet());
		boolean httpApi = resources.values().stream().anyMatch(r -> String.valueOf(r.get("Properties")).contains("Type=HttpApi"));
		if (httpApi) {
			defined.add("ServerlessHttpApi");
		}
		for (String name : referenced) {
			assertThat(name.startsWith("AWS::") || defined.contains(name)).as("%s is defined", name).isTrue();
		}
		assertThat(referenced).as("every parameter is used").containsAll(parameters.keySet());
		for (var entry : parameters.entrySet()) {
			Map<String, Object> parameter = (Map<String, Object>) entry.getValue();
			assertThat(parameter).as(entry.getKey()).containsKey("Type");
			if (entry.getKey().matches("(?i).*(secret|password|key).*")) {
				assertThat(parameter).as("%s is not echoed", entry.getKey()).containsEntry("NoEcho", true);
			}
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theSamFunctionRunsAJava21PlusHandlerThatExistsWithSettingsTheApplicationReads() throws Exception {
		Settings settings = settings();
		Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template().get("Resources");
		List<Map<String, Object>> functions = resources.values().stream()
				.filter(r -> "AWS::Serverless::Function".equals(r.get("Type"))).map(r -> (Map<String, Object>) r.get("Properties"))
				.toList();
		assertThat(functions).hasSize(1);
		for (Map<String, Object> function : functions) {
			if ("Image".equals(function.get("PackageType"))) {
				assertThat(function).containsKey("ImageUri").doesNotContainKeys("Handler", "Runtime");
				// The handler and the runtime are the image's: theLambdaImageUnpacksTheBuiltJarAndItsHandlerExists.
			}
			else {
				String runtime = String.valueOf(function.get("Runtime"));
				Matcher java = Pattern.compile("java(\\d+)").matcher(runtime);
				assertThat(java.matches()).as("a Java runtime: %s", runtime).isTrue();
				assertThat(Integer.parseInt(java.group(1))).isGreaterThanOrEqualTo(Math.max(21, javaRelease()));
				String handler = String.valueOf(function.get("Handler")).split("::")[0];
				assertThat(Path.of("src/main/java", handler.replace('.', '/') + ".java")).exists();
			}
			// Reads only: every route is a GET under /api/gallery or /api/stream.
			Map<String, Map<String, Object>> events = (Map<String, Map<String, Object>>) function.get("Events");
			assertThat(events).isNotEmpty();
			for (Map<String, Object> event : events.values()) {
				Map<String, Object> properties = (Map<String, Object>) event.get("Properties");
				assertThat(properties.get("Method")).isEqualTo("GET");
				assertThat(String.valueOf(properties.get("Path"))).matches("/api/(gallery|stream)/\\{proxy\\+}");
			}
			// An HTTP API waits 30 s at most for its integration.
			assertThat(((Number) function.get("Timeout")).intValue()).isBetween(1, 30);
			Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) function.get("Environment"))
					.get("Variables");
			assertThat(variables).isNotEmpty();
			for (String name : variables.keySet()) {
				assertThat(AWS_SDK.contains(name) || settings.knows(name)).as("%s is a setting", name).isTrue();
			}
		}
	}
}
