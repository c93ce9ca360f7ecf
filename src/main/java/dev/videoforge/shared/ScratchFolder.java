package dev.videoforge.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of one piece of work (a poster, a download's remux, a transcode attempt), removed with
 * everything in it when the work ends: {@code try (ScratchFolder work = ScratchFolder.in(tmp, "poster-")) {…}}.
 * A file that cannot be removed is logged, never thrown: the work's own outcome is what counts.
 */
public final class ScratchFolder implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ScratchFolder.class);

	private final Path path;

	private ScratchFolder(Path path) {
		this.path = path;
	}

	/** A new, empty folder inside {@code parent} (made if missing) whose name starts with {@code prefix}. */
	public static ScratchFolder in(Path parent, String prefix) throws IOException {
		Files.createDirectories(parent);
		return new ScratchFolder(Files.createTempDirectory(parent, prefix));
	}

	public Path path() {
		return path;
	}

	public Path resolve(String name) {
		return path.resolve(name);
	}

	@Override
	public void close() {
		delete(path);
	}

	/** Removes a file or a folder with everything in it; nothing when it does not exist. */
	public static void delete(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
		catch (IOException | RuntimeException e) {
			log.warn("could not remove {}: {}", path, e.toString());
		}
	}

	/** Creates the folder, or empties it when it holds something (what a process that died left). */
	public static void empty(Path folder) {
		try {
			Files.createDirectories(folder);
			try (Stream<Path> entries = Files.list(folder)) {
				for (Path entry : entries.toList()) {
					delete(entry);
				}
			}
		}
		catch (IOException e) {
			log.warn("could not clean {}: {}", folder, e.getMessage());
		}
	}
}
