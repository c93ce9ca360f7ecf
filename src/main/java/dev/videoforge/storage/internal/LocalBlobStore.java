package dev.videoforge.storage.internal;

import dev.videoforge.shared.Fsync;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on a local folder. Writes go to a temporary file in {@code .tmp/} on the same
 * file system and are renamed into place, so a reader never sees half an object. A write returns
 * only when the object's bytes and its folder entry are on the disk ({@link Fsync}): what the
 * catalog records after it survives a crash of the machine too.
 */
public class LocalBlobStore implements BlobStore {

	private final Path root;
	private final Path tmp;

	public LocalBlobStore(Path root) throws IOException {
		this.root = root.toAbsolutePath().normalize();
		this.tmp = this.root.resolve(".tmp");
		Files.createDirectories(tmp);
		sweepTemporaryFiles(java.time.Duration.ofMinutes(10));
	}

	/**
	 * Removes what a process stopped in the middle of a write left in {@code .tmp/} (never an object:
	 * a write becomes one only by its rename). Only files untouched for {@code olderThan}: another
	 * process sharing the folder may be writing now.
	 */
	void sweepTemporaryFiles(java.time.Duration olderThan) {
		java.time.Instant before = java.time.Instant.now().minus(olderThan);
		try (var files = Files.newDirectoryStream(tmp, "*.part")) {
			for (Path file : files) {
				if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException e) {
			// left for the next start
		}
	}

	Path resolve(String key) {
		if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.startsWith(".tmp")) {
			throw new IllegalArgumentException("invalid key: " + key);
		}
		Path path = root.resolve(key).normalize();
		if (!path.startsWith(root) || path.equals(root)) {
			throw new IllegalArgumentException("invalid key: " + key);
		}
		return path;
	}

	@Override
	public void put(String key, Path file) throws IOException {
		Path target = resolve(key);
		createDirectories(target.getParent());
		Path temp = tmp.resolve(UUID.randomUUID() + ".part");
		try {
			Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
			Fsync.file(temp);
			move(temp, target);
			Fsync.directory(target.getParent());
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public void moveIn(String key, Path file) throws IOException {
		Path target = resolve(key);
		createDirectories(target.getParent());
		Fsync.file(file);
		try {
			move(file, target);
		}
		catch (IOException e) {
			put(key, file);
			Files.deleteIfExists(file);
			return;
		}
		Fsync.directory(target.getParent());
	}

	/** Creates the folder and any missing parents, each one's entry forced to the disk. */
	private void createDirectories(Path directory) throws IOException {
		if (Files.isDirectory(directory)) {
			return;
		}
		createDirectories(directory.getParent());
		try {
			Files.createDirectory(directory);
		}
		catch (java.nio.file.FileAlreadyExistsException e) {
			return;
		}
		Fsync.directory(directory.getParent());
	}

	private static void move(Path from, Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException e) {
			Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Override
	public Optional<BlobInfo> stat(String key) throws IOException {
		Path path = resolve(key);
		try {
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
			if (!attributes.isRegularFile()) {
				return Optional.empty();
			}
			long size = attributes.size();
			long modified = attributes.lastModifiedTime().toMillis();
			String etag = Long.toHexString(size) + "-" + Long.toHexString(modified);
			return Optional.of(new BlobInfo(key, size, attributes.lastModifiedTime().toInstant(), etag));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
	}

	@Override
	public InputStream open(String key, long offset, long length) throws IOException {
		Path path = resolve(key);
		FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
		}
		catch (NoSuchFileException e) {
			throw new BlobNotFoundException(key);
		}
		try {
			channel.position(offset);
			return new BoundedInputStream(Channels.newInputStream(channel), length);
		}
		catch (IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	@Override
	public void download(String key, Path target) throws IOException {
		Path path = resolve(key);
		if (!Files.isRegularFile(path)) {
			throw new BlobNotFoundException(key);
		}
		Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	public Optional<Path> localPath(String key) {
		Path path = resolve(key);
		return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
	}

	@Override
	public List<String> list(String prefix) throws IOException {
		List<String> keys = new ArrayList<>();
		Path start = prefixDirectory(prefix);
		if (start == null || !Files.exists(start)) {
			return keys;
		}
		try (Stream<Path> files = Files.walk(start)) {
			files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
					.filter(k -> k.startsWith(prefix) && !k.startsWith(".tmp/")).sorted().forEach(keys::add);
		}
		return keys;
	}

	/** The deepest folder that holds every key with this prefix. */
	private Path prefixDirectory(String prefix) {
		int slash = prefix.lastIndexOf('/');
		if (slash < 0) {
			return root;
		}
		return resolve(prefix.substring(0, slash));
	}

	@Override
	public void delete(String key) throws IOException {
		Files.deleteIfExists(resolve(key));
	}

	@Override
	public int deletePrefix(String prefix) throws IOException {
		int removed = 0;
		for (String key : list(prefix)) {
			Files.deleteIfExists(resolve(key));
			removed++;
		}
		// Remove folders left empty, up to the prefix's own folder.
		if (prefix.endsWith("/")) {
			Path dir = resolve(prefix.substring(0, prefix.length() - 1));
			if (Files.isDirectory(dir)) {
				Files.walkFileTree(dir, new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
						try (Stream<Path> entries = Files.list(d)) {
							if (entries.findAny().isEmpty()) {
								Files.delete(d);
							}
						}
						return FileVisitResult.CONTINUE;
					}
				});
			}
		}
		return removed;
	}
}
