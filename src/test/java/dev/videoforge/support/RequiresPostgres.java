package dev.videoforge.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs on the local PostgreSQL ({@link TestDatabases#POSTGRES_URL}): before
 * anything of the class runs it is failed (in CI, or when PostgreSQL answers but refuses us or
 * lacks the database) or skipped, loudly (outside CI, when nothing listens). See {@link RealParts}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresPostgres.Check.class)
public @interface RequiresPostgres {

	/** The check, once per test class. */
	final class Check extends RealParts.Requirement {

		@Override
		protected RealParts.Problem problem() {
			return TestDatabases.postgresProblem();
		}
	}
}
