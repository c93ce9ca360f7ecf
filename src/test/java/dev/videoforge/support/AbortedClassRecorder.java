package dev.videoforge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes down every test class aborted as a whole (an assumption or {@code abort()} in a
 * {@code @BeforeAll}): surefire and failsafe report such a class as "Tests run: 0", no test and no
 * skip, so without this a class that did not run would look like one with nothing to run.
 * {@code ./videoforge test} counts each line of {@link #FILE} as a skipped test (and in CI, as a
 * failed run). Registered for every run through {@code META-INF/services}.
 */
public class AbortedClassRecorder implements TestExecutionListener {

	/** One line per aborted class: the class name, a tab, the reason. */
	public static final Path FILE = Path.of(System.getProperty("basedir", "."), "target", "aborted-test-classes.tsv");

	@Override
	public void executionFinished(TestIdentifier test, TestExecutionResult result) {
		if (result.getStatus() != TestExecutionResult.Status.ABORTED || !test.isContainer()
				|| !(test.getSource().orElse(null) instanceof ClassSource source)) {
			return;
		}
		String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
		String line = source.getClassName() + "\t" + String.valueOf(reason).replaceAll("\\s+", " ").strip() + "\n";
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException e) {
			System.err.println("could not record the aborted class " + source.getClassName() + " in " + FILE + ": " + e);
		}
	}
}
