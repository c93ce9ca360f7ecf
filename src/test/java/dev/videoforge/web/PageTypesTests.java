package dev.videoforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.RealParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pages' scripts ({@code src/main/resources/static/*.js}, plain ES modules with no build
 * step) type-check: {@code tsc --noEmit} of TypeScript from npm ({@code package.json}, installed
 * by {@code ./videoforge test} with {@code npm ci}) against the JSDoc types of the API's JSON in
 * {@code api-types.js}, the DOM's types and the vendored players' own. And the check has teeth: a
 * misspelt field of the API's JSON, or a status the API never answers, fails it.
 */
@ExtendWith(PageTypesTests.TypeScript.class)
class PageTypesTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();
	private static final Path TSC = ROOT.resolve("node_modules/typescript/bin/tsc");

	/** Node and TypeScript, required as every real part is (RealParts): in CI, missing fails. */
	static final class TypeScript extends RealParts.Requirement {

		@Override
		protected RealParts.Problem problem() {
			String node = nodeProblem();
			if (node != null) {
				return new RealParts.Problem(true, node);
			}
			return Files.isRegularFile(TSC) ? null : new RealParts.Problem(true, "TypeScript is not installed in "
					+ ROOT.resolve("node_modules") + ": run 'npm ci' (./videoforge test does) so the pages' types can be checked");
		}
	}

	@Test
	void everyPageTypeChecks() throws Exception {
		Result result = tsc(ROOT.resolve("tsconfig.json"));
		assertThat(result.output()).as("tsc --noEmit over the pages' scripts").isEmpty();
		assertThat(result.exit()).as("tsc's exit code; its output:%n%s", result.output()).isZero();
	}

	@Test
	void aMisspeltFieldOrAStatusTheApiNeverAnswersFailsTheCheck() throws Exception {
		Path probe = Files.createDirectories(ROOT.resolve("target/page-types-probe"));
		Files.writeString(probe.resolve("tsconfig.json"), """
				{ "extends": "../../tsconfig.json", "include": ["probe.js"] }
				""");
		String header = """
				// @ts-check
				import { STATUS } from '/app.js';
				/** @typedef {import('/api-types.js').Video} Video */
				""";

		Files.writeString(probe.resolve("probe.js"), header + """
				/** @param {Video} video */
				export const describe = (video) => `${video.title}: ${video.status === STATUS.READY ? 'ready' : video.status}`;
				""");
		Result right = tsc(probe.resolve("tsconfig.json"));
		assertThat(right.exit()).as("a page using the API's fields as API.md names them; tsc said:%n%s", right.output()).isZero();

		Files.writeString(probe.resolve("probe.js"), header + """
				/** @param {Video} video */
				export const describe = (video) => video.tittle;
				""");
		Result misspelt = tsc(probe.resolve("tsconfig.json"));
		assertThat(misspelt.exit()).isNotZero();
		assertThat(misspelt.output()).contains("probe.js(5,").contains("Property 'tittle' does not exist on type");

		Files.writeString(probe.resolve("probe.js"), header + """
				/** @param {Video} video */
				export const ready = (video) => video.status === 'READDY';
				""");
		Result status = tsc(probe.resolve("tsconfig.json"));
		assertThat(status.exit()).isNotZero();
		assertThat(status.output()).contains("probe.js(5,").contains("'\"READDY\"'").contains("no overlap");
	}

	/**
	 * The players' types are those of the very versions the pages are served (the pom fetches
	 * hls.js and tus-js-client from npm by its properties; package.json has their types).
	 */
	@Test
	void theTypesAreThoseOfTheServedPlayers() throws Exception {
		String pom = Files.readString(ROOT.resolve("pom.xml"));
		var packages = JsonMapper.builder().build().readTree(Files.readString(ROOT.resolve("package.json"))).path("devDependencies");
		assertThat(packages.path("hls.js").asString()).isEqualTo(property(pom, "hlsjs.version"));
		assertThat(packages.path("tus-js-client").asString()).isEqualTo(property(pom, "tusjs.version"));
	}

	private static String property(String pom, String name) {
		var matcher = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name) + ">([^<]+)</").matcher(pom);
		assertThat(matcher.find()).as("pom property %s", name).isTrue();
		return matcher.group(1).trim();
	}

	private record Result(int exit, String output) {
	}

	private static Result tsc(Path project) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node", TSC.toString(), "--noEmit", "--pretty", "false", "-p", project.toString()));
		Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		// tsc's report of a whole folder is small; read it to the end, then the exit code.
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("tsc did not finish in two minutes; it said:\n" + output);
		}
		return new Result(process.exitValue(), output);
	}

	/** Why node cannot run here, as a sentence with the fix; null when it runs. */
	private static String nodeProblem() {
		try {
			Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
				// TypeScript 5.9 runs on node 14.17 and later; asked here: 16 (Debian 12 has 18).
				var major = java.util.regex.Pattern.compile("^v(\\d+)\\.").matcher(version);
				return major.find() && Integer.parseInt(major.group(1)) >= 16 ? null
						: "node " + version + " is too old for the pages' type check (TypeScript needs 16 or later here); install a newer nodejs";
			}
		}
		catch (IOException | InterruptedException e) {
			// not installed: the sentence below
		}
		return "node is missing: the pages' types are checked by TypeScript on node; install it with "
				+ "'sudo apt-get install nodejs npm' (./videoforge test installs it when run as root)";
	}
}
