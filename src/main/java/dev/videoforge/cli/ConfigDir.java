package dev.videoforge.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the command line keeps its files: {@code $VIDEOFORGE_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/videoforge}, else {@code ~/.config/videoforge}. The directory is 0700
 * and every file 0600 (they hold tokens); files are replaced atomically, and changed under a
 * lock so that two commands running at once do not lose each other's changes.
 */
final class ConfigDir {

	private final Path dir;

	ConfigDir(Path dir) {
		this.dir = dir;
	}

	static ConfigDir of(Terminal term) {
		Map<String, String> env = term.environment();
		String override = blankToNull(env.get("VIDEOFORGE_CONFIG_DIR"));
		if (override != null) {
			return new ConfigDir(Path.of(override));
		}
		String xdg = blankToNull(env.get("XDG_CONFIG_HOME"));
		Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
		return new ConfigDir(base.resolve("videoforge"));
	}

	Path path(String name) {
		return dir.resolve(name);
	}

	/** The JSON object in {@code name}, or an empty object when the file does not exist. */
	ObjectNode read(String name) {
		Path file = dir.resolve(name);
		if (!Files.exists(file)) {
			return Json.object();
		}
		try {
			JsonNode node = Json.parse(Files.readString(file));
			if (node instanceof ObjectNode object) {
				return object;
			}
			throw CliException.failed(file + " is not a JSON object; remove it and try again");
		}
		catch (IOException | IllegalArgumentException e) {
			throw CliException.failed("cannot read " + file + ": " + e.getMessage() + " (remove it and try again)");
		}
	}

	/** Reads {@code name}, lets {@code change} edit it, and writes it back, all under the file's lock. */
	ObjectNode update(String name, Consumer<ObjectNode> change) {
		try (Locked lock = lock(name)) {
			ObjectNode node = read(name);
			change.accept(node);
			write(name, node);
			return node;
		}
		catch (IOException e) {
			throw CliException.failed("cannot write " + dir.resolve(name) + ": " + e.getMessage());
		}
	}

	/**
	 * An exclusive lock on {@code name} (through a {@code name.lock} file next to it), for a
	 * read-decide-write that must not interleave with another process's.
	 */
	Locked lock(String name) throws IOException {
		ensureDir();
		FileChannel channel = FileChannel.open(dir.resolve(name + ".lock"),
				java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), privateFile());
		try {
			channel.lock();
			// Closing the channel releases the lock.
			return channel::close;
		}
		catch (IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	/** A held lock; closing releases it. */
	interface Locked extends AutoCloseable {

		@Override
		void close() throws IOException;
	}

	private void write(String name, JsonNode node) throws IOException {
		ensureDir();
		Path target = dir.resolve(name);
		Path temp = Files.createTempFile(dir, name, ".tmp", privateFile());
		try {
			Files.writeString(temp, Json.pretty(node) + "\n");
			try {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	private void ensureDir() throws IOException {
		if (Files.isDirectory(dir)) {
			return;
		}
		try {
			if (posix()) {
				Files.createDirectories(dir.getParent());
				Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			else {
				Files.createDirectories(dir);
			}
		}
		catch (FileAlreadyExistsException e) {
			// made by another command at the same moment
		}
	}

	private FileAttribute<?>[] privateFile() {
		return posix() ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
				: new FileAttribute<?>[0];
	}

	private static boolean posix() {
		return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}
}
