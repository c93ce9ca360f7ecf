package dev.videoforge.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** What the configured database is, for the few places that use what only PostgreSQL has. */
public final class Databases {

	private Databases() {
	}

	/** The database's product name, as its JDBC driver reports it. */
	public static String productName(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return connection.getMetaData().getDatabaseProductName();
		}
	}

	/** Whether it is PostgreSQL (the database a fleet shares; the embedded one is H2). */
	public static boolean isPostgres(DataSource dataSource) throws SQLException {
		return productName(dataSource).toLowerCase(Locale.ROOT).contains("postgres");
	}
}
