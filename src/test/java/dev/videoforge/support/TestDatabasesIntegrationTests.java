package dev.videoforge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL requirement tells a machine without PostgreSQL (skippable outside CI) from one
 * whose PostgreSQL refuses us or lacks the database (a failure everywhere), and names the fix.
 */
@RequiresPostgres
class TestDatabasesIntegrationTests {

	private static final URI CONFIGURED = URI.create(TestDatabases.POSTGRES_URL.substring("jdbc:".length()));

	@Test
	void theConfiguredServerHasNoProblem() {
		assertThat(TestDatabases.postgresProblem()).isNull();
	}

	@Test
	void aPortWhereNothingListensIsAnAbsentPostgresNamedWithHowToStartIt() throws Exception {
		int port = ServerProcess.freePort();
		var problem = TestDatabases.postgresProblem("jdbc:postgresql://127.0.0.1:" + port + "/test", "postgres");
		assertThat(problem).isNotNull();
		assertThat(problem.absent()).isTrue();
		assertThat(problem.sentence()).startsWith("PostgreSQL does not answer at 127.0.0.1:" + port)
				.contains("pg_ctlcluster", "apt-get install postgresql");
	}

	@Test
	void aMissingDatabaseIsABrokenSetUpNotAnAbsentOne() {
		var problem = TestDatabases.postgresProblem(
				"jdbc:postgresql://" + CONFIGURED.getHost() + ":" + port() + "/vf_no_such_database", TestDatabases.POSTGRES_USER);
		assertThat(problem).isNotNull();
		assertThat(problem.absent()).isFalse();
		assertThat(problem.sentence()).contains("refuses", "3D000", "createdb", "vf_no_such_database");
	}

	@Test
	void aRoleThatMayNotConnectIsABrokenSetUpNotAnAbsentOne() {
		var problem = TestDatabases.postgresProblem(TestDatabases.POSTGRES_URL, "vf_no_such_role");
		assertThat(problem).isNotNull();
		assertThat(problem.absent()).isFalse();
		assertThat(problem.sentence()).contains("refuses", "vf_no_such_role", "pg_hba.conf");
	}

	private static int port() {
		return CONFIGURED.getPort() < 0 ? 5432 : CONFIGURED.getPort();
	}
}
