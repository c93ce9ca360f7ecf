package dev.videoforge.support;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import dev.videoforge.support.RealParts.Problem;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Fresh, migrated databases for tests: an in-memory H2, and a PostgreSQL schema of its own on
 * the local server ({@code -Dvideoforge.test.postgres-url}, by default 127.0.0.1:5432, database
 * {@code test}, user {@code postgres} without a password), which {@link #requirePostgres()} requires.
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

	/**
	 * What is wrong with the local PostgreSQL, as a sentence that says how to fix it; null when it
	 * answers at {@link #POSTGRES_URL} as {@link #POSTGRES_USER} with the database there.
	 * {@link Problem#absent} tells "nothing listens" (a machine without PostgreSQL) from "it answers
	 * but refuses us or lacks the database" (a broken set-up).
	 */
	public static Problem postgresProblem() {
		return postgresProblem(POSTGRES_URL, POSTGRES_USER);
	}

	/** {@link #postgresProblem()} for another URL and user. */
	public static Problem postgresProblem(String url, String user) {
		URI uri = URI.create(url.substring("jdbc:".length()));
		String host = uri.getHost() == null ? "localhost" : uri.getHost();
		int port = uri.getPort() < 0 ? 5432 : uri.getPort();
		String where = host + ":" + port;
		String database = uri.getPath() == null || uri.getPath().length() < 2 ? user : uri.getPath().substring(1);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
		}
		catch (IOException e) {
			return new Problem(true, "PostgreSQL does not answer at " + where + " (" + e.getMessage() + "), so the PostgreSQL "
					+ "tests cannot run: start it with 'pg_ctlcluster 15 main start' (Debian; any version: 'pg_lsclusters') or "
					+ "install it with 'sudo apt-get install postgresql', with a database '" + database + "' that user " + user
					+ " reaches without a password from " + host + "; or point -Dvideoforge.test.postgres-url at one");
		}
		try (Connection c = DriverManager.getConnection(url, user, "")) {
			return c.isValid(5) ? null : new Problem(false, "PostgreSQL at " + where + " accepted a connection but it is not valid");
		}
		catch (SQLException e) {
			String how = switch (e.getSQLState() == null ? "" : e.getSQLState()) {
				case "3D000" -> "create the database: 'createdb -h " + host + " -p " + port + " -U " + user + " " + database + "'";
				case "28000", "28P01" -> "let user " + user + " in from " + host + " without a password ('trust' for "
						+ host + " in pg_hba.conf, then 'pg_ctlcluster 15 main reload'), or name another user with "
						+ "-Dvideoforge.test.postgres-user";
				default -> "check the server's log and -Dvideoforge.test.postgres-url";
			};
			return new Problem(false, "PostgreSQL answers at " + where + " but refuses " + url + " as " + user
					+ " (" + e.getMessage() + ", SQLState " + e.getSQLState() + "): " + how);
		}
	}

	/**
	 * Returns when PostgreSQL answers with the test database. Otherwise: when nothing listens, the
	 * caller's tests are skipped loudly outside CI and fail in CI ({@link RealParts#require}); when
	 * it answers but refuses us or the database is missing, they fail everywhere.
	 */
	public static void requirePostgres() {
		RealParts.require(postgresProblem());
	}

	/** A new schema on the local PostgreSQL, migrated; see {@link #requirePostgres()} for when it is not there. */
	public static HikariDataSource postgres() {
		requirePostgres();
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
		return ds;
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
