import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The last lines of {@code ./videoforge test}: which tests were skipped and why, which failed,
 * and one line of run, failed and skipped counts per kind: unit (surefire's reports), integration
 * and browser (failsafe's; a browser test is a class whose source uses Playwright). Run with the
 * JDK's source launcher, no build: {@code java src/test/summary/TestSummary.java [project dir]}.
 * It reads the reports and {@code target/aborted-test-classes.tsv} (classes aborted as a whole,
 * which the reports leave out); {@code ./videoforge test} removes old ones before Maven runs.
 *
 * <p>Exit status: 0; 3 in CI ({@code CI} set) when a test was skipped or none ran at all, since
 * CI must run every test on its real parts.
 */
public class TestSummary {

	enum Kind { unit, integration, browser }

	record Result(Kind kind, String test, String outcome, String message) {
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args.length > 0 ? args[0] : ".");
		List<Result> results = new ArrayList<>();
		read(root, root.resolve("target/surefire-reports"), false, results);
		read(root, root.resolve("target/failsafe-reports"), true, results);
		readAborted(root, results);

		Map<String, List<String>> skippedByReason = new LinkedHashMap<>();
		List<String> failed = new ArrayList<>();
		int[][] counts = new int[Kind.values().length][3]; // run, failed, skipped
		for (Result r : results) {
			int[] c = counts[r.kind().ordinal()];
			switch (r.outcome()) {
				case "skipped" -> {
					c[2]++;
					skippedByReason.computeIfAbsent(r.message(), m -> new ArrayList<>()).add(r.kind() + " " + r.test());
				}
				case "failed" -> {
					c[0]++;
					c[1]++;
					failed.add(r.kind() + " " + r.test() + (r.message().isEmpty() ? "" : ": " + r.message()));
				}
				default -> c[0]++;
			}
		}
		int skipped = 0;
		int run = 0;
		for (int[] c : counts) {
			skipped += c[2];
			run += c[0];
		}
		boolean ci = ci();

		StringBuilder out = new StringBuilder("\n");
		if (!skippedByReason.isEmpty()) {
			out.append("videoforge: ").append(skipped).append(skipped == 1 ? " test was" : " tests were").append(" SKIPPED")
					.append(ci ? " (CI=true: in CI every test must run, so this run FAILS)" : " (with CI=true this run would fail)")
					.append(":\n");
			skippedByReason.forEach((reason, tests) -> {
				out.append("  because ").append(reason.isEmpty() ? "(no reason given)" : reason).append(":\n");
				tests.forEach(t -> out.append("    ").append(t).append('\n'));
			});
		}
		if (!failed.isEmpty()) {
			out.append("videoforge: ").append(failed.size()).append(failed.size() == 1 ? " test" : " tests").append(" FAILED:\n");
			failed.forEach(f -> out.append("  ").append(f).append('\n'));
		}
		if (results.isEmpty()) {
			out.append("videoforge: no test reports in target/surefire-reports or target/failsafe-reports: no test ran"
					+ " (the build failed before the tests, or they were not asked for)\n");
		}
		out.append("videoforge: tests:");
		for (Kind k : Kind.values()) {
			int[] c = counts[k.ordinal()];
			out.append(k == Kind.unit ? " " : "; ").append(k).append(' ').append(c[0]).append(" run, ").append(c[1])
					.append(" failed, ").append(c[2]).append(" skipped");
		}
		System.out.println(out);
		System.out.flush();
		System.exit(ci && (skipped > 0 || run == 0) ? 3 : 0);
	}

	static boolean ci() {
		String ci = System.getenv("CI");
		return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
	}

	static void read(Path root, Path dir, boolean integration, List<Result> results) throws Exception {
		if (!Files.isDirectory(dir)) {
			return;
		}
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
		DocumentBuilder parser = factory.newDocumentBuilder();
		List<Path> reports;
		try (Stream<Path> files = Files.list(dir)) {
			reports = files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
		}
		for (Path report : reports) {
			NodeList cases;
			try {
				cases = parser.parse(report.toFile()).getElementsByTagName("testcase");
			}
			catch (Exception e) {
				// A fork killed mid-write leaves a broken report: count it as a failure, not as nothing.
				String name = report.getFileName().toString().replaceAll("^TEST-|\\.xml$", "");
				results.add(new Result(integration ? Kind.integration : Kind.unit, name, "failed",
						"its report " + report + " is unreadable (" + e.getMessage() + ")"));
				continue;
			}
			for (int i = 0; i < cases.getLength(); i++) {
				Element testcase = (Element) cases.item(i);
				String className = testcase.getAttribute("classname");
				Kind kind = !integration ? Kind.unit : browser(root, className) ? Kind.browser : Kind.integration;
				String name = className + (testcase.getAttribute("name").isEmpty() ? "" : "." + testcase.getAttribute("name"));
				Element skipped = first(testcase, "skipped");
				Element problem = first(testcase, "failure");
				if (problem == null) {
					problem = first(testcase, "error");
				}
				if (problem != null) {
					results.add(new Result(kind, name, "failed", firstLine(problem.getAttribute("message"))));
				}
				else if (skipped != null) {
					results.add(new Result(kind, name, "skipped", firstLine(skipped.getAttribute("message"))));
				}
				else {
					results.add(new Result(kind, name, "passed", ""));
				}
			}
		}
	}

	/**
	 * Classes aborted as a whole, which the reports leave out ("Tests run: 0"), as written by the
	 * suite's {@code AbortedClassRecorder}: each counts as one skipped test.
	 */
	static void readAborted(Path root, List<Result> results) throws IOException {
		Path file = root.resolve("target/aborted-test-classes.tsv");
		if (!Files.isRegularFile(file)) {
			return;
		}
		for (String line : Files.readAllLines(file)) {
			if (line.isBlank()) {
				continue;
			}
			String[] parts = line.split("\t", 2);
			String className = parts[0];
			// The pom's split: failsafe runs the *IntegrationTests classes, surefire the others.
			String topLevel = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
			Kind kind = !topLevel.endsWith("IntegrationTests") ? Kind.unit : browser(root, className) ? Kind.browser : Kind.integration;
			results.add(new Result(kind, className + " (the whole class)", "skipped",
					firstLine(parts.length > 1 ? parts[1] : "aborted")));
		}
	}

	/** Whether the test class's source (its top-level class) drives a browser with Playwright. */
	static boolean browser(Path root, String className) throws IOException {
		String topLevel = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
		Path source = root.resolve("src/test/java").resolve(topLevel.replace('.', '/') + ".java");
		return Files.isRegularFile(source) && Files.readString(source).contains("com.microsoft.playwright");
	}

	static Element first(Element parent, String tag) {
		NodeList list = parent.getElementsByTagName(tag);
		return list.getLength() == 0 ? null : (Element) list.item(0);
	}

	static String firstLine(String message) {
		String line = message.strip().lines().findFirst().orElse("");
		return line.length() > 400 ? line.substring(0, 400) + "…" : line;
	}
}
