package dev.videoforge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that drives Debian's chromium ({@link #CHROMIUM}) with Playwright: failed in CI
 * when it is missing, skipped loudly outside CI. See {@link RealParts}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresChromium.Check.class)
public @interface RequiresChromium {

	/** Where the browser tests expect chromium. */
	Path CHROMIUM = Path.of("/usr/bin/chromium");

	/** The check, once per test class. */
	final class Check extends RealParts.Requirement {

		@Override
		protected RealParts.Problem problem() {
			return RealParts.chromiumProblem(CHROMIUM);
		}
	}
}
