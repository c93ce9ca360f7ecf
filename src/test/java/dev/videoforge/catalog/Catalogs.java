package dev.videoforge.catalog;

import dev.videoforge.storage.BlobStore;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A real {@link VideoCatalog} on a test database, for unit tests of other modules (its constructor is the module's own). */
public final class Catalogs {

	private Catalogs() {
	}

	public static VideoCatalog catalog(JdbcClient jdbc, BlobStore blobs) {
		CatalogSettings settings = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("videoforge.catalog",
				CatalogSettings.class);
		return new VideoCatalog(new VideoRepository(jdbc), jdbc, blobs, event -> {
		}, settings);
	}
}
