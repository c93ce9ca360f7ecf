package dev.videoforge.support;

import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Fresh, migrated databases for tests: an in-memory H2, and a PostgreSQL schema of its own on
 * the local server (127.0.0.1:5432, database {@code test}) when one answers.
 */
public final class TestDatabases {

	public static final String POSTGRES_URL = System.getProperty("videoforge.test.postgres-url",
			"jdbc:postgresql://127.0.0.1:5432/test");
	public static final String POSTGRES_USER = System.getProperty("videoforge.test.postgres-user", "postgres");

	private TestDatabases() {
	}

	public static HikariDataSource h2() {
		HikariDataSource ds = new HikariDataSource();
		ds.setJdbcUrl("jdbc:h2:mem:vf" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
		ds.setUsername("sa");
		ds.setMaximumPoolSize(24);
		migrate(ds);
		return ds;
	}

	/** Whether PostgreSQL answers here; tests that need it are skipped (and say so) when not. */
	public static boolean postgresAnswers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
		}
		catch (Exception e) {
			return false;
		}
		try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
			return c.isValid(2);
		}
		catch (Exception e) {
			return false;
		}
	}

	public static final String POSTGRES_SKIPPED = "SKIPPED: PostgreSQL does not answer at " + POSTGRES_URL
			+ " as " + POSTGRES_USER + " — start it (e.g. 'pg_ctlcluster 15 main start') to run the PostgreSQL tests";

	/** A new schema on the local PostgreSQL, migrated; empty when PostgreSQL does not answer. */
	public static Optional<HikariDataSource> postgres() {
		if (!postgresAnswers()) {
			System.err.println(POSTGRES_SKIPPED);
			return Optional.empty();
		}
		String schema = "vf_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
			c.createStatement().execute("CREATE SCHEMA " + schema);
		}
		catch (Exception e) {
			throw new IllegalStateException("cannot create a test schema on PostgreSQL", e);
		}
		HikariDataSource ds = new HikariDataSource();
		ds.setJdbcUrl(POSTGRES_URL + "?currentSchema=" + schema);
		ds.setUsername(POSTGRES_USER);
		ds.setMaximumPoolSize(24);
		ds.setPoolName(schema);
		migrate(ds);
		return Optional.of(ds);
	}

	/** Drops the schema a {@link #postgres()} data source was made with. */
	public static void dropPostgres(HikariDataSource ds) {
		String schema = ds.getPoolName();
		ds.close();
		try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
			c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
		catch (Exception e) {
			System.err.println("could not drop test schema " + schema + ": " + e.getMessage());
		}
	}

	public static void migrate(DataSource ds) {
		Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
	}
}
