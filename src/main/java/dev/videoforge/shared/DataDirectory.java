package dev.videoforge.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Makes the data directory ({@code videoforge.data-dir}) and its scratch folder for spooled request bodies. */
@Component
class DataDirectory {

	private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

	DataDirectory(@Value("${videoforge.data-dir}") Path dataDir) throws IOException {
		Files.createDirectories(dataDir.resolve("tmp"));
		log.info("data directory: {}", dataDir.toAbsolutePath().normalize());
	}
}
