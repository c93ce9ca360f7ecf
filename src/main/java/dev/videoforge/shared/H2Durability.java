package dev.videoforge.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * On H2, makes every commit reach the database file before the statement returns
 * ({@code SET WRITE_DELAY 0}), whatever {@code spring.datasource.url} says: H2's default (500 ms)
 * keeps the last commits in memory, and a kill loses what the server had already acknowledged.
 * The shipped URL says {@code WRITE_DELAY=0} too; this covers a URL of the operator's own.
 */
@Component
class H2Durability {

	private static final Logger log = LoggerFactory.getLogger(H2Durability.class);

	H2Durability(ObjectProvider<DataSource> dataSources) {
		DataSource dataSource = dataSources.getIfAvailable();
		if (dataSource == null) {
			return;
		}
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
				return;
			}
			if (connection.getMetaData().getURL().startsWith("jdbc:h2:mem:")) {
				return;
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET WRITE_DELAY 0");
			}
			log.debug("H2: commits are written before they are answered (WRITE_DELAY 0)");
		}
		catch (SQLException e) {
			// The database being away at start is reported by whatever needs it first; a failure of
			// this statement itself must not pass silently.
			log.warn("could not make sure the database writes each commit before answering (H2 WRITE_DELAY 0): {}",
					e.getMessage());
		}
	}
}
