package dev.videoforge.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where originals and renditions live. Keys are slash-separated relative paths
 * ({@code originals/abc}, {@code renditions/abc/720p/seg_00001.m4s}). Writes are atomic: a
 * reader sees the whole object or nothing.
 */
public interface BlobStore {

	/** Stores the file's bytes under {@code key}, replacing any previous object. */
	void put(String key, Path file) throws IOException;

	/**
	 * Stores a file this process owns and removes it from where it was. A store on the same disk
	 * renames it instead of copying.
	 */
	default void moveIn(String key, Path file) throws IOException {
		put(key, file);
		java.nio.file.Files.deleteIfExists(file);
	}

	/** Stores a small text (a playlist) under {@code key}, replacing any previous object. */
	default void putText(String key, String text) throws IOException {
		Path file = java.nio.file.Files.createTempFile("blob", ".txt");
		try {
			java.nio.file.Files.writeString(file, text);
			put(key, file);
		}
		finally {
			java.nio.file.Files.deleteIfExists(file);
		}
	}

	/** Size, last change and entity tag of the object, or empty when there is none. */
	Optional<BlobInfo> stat(String key) throws IOException;

	/**
	 * Opens {@code length} bytes of the object from {@code offset}; the caller closes the stream.
	 *
	 * @throws BlobNotFoundException when there is no such object
	 */
	InputStream open(String key, long offset, long length) throws IOException;

	/** Copies the whole object to {@code target} (replacing it). */
	void download(String key, Path target) throws IOException;

	/**
	 * A path the object can be read from in place, when the store is on this machine's disk;
	 * lets the processor skip a copy. Empty for remote stores.
	 */
	default Optional<Path> localPath(String key) {
		return Optional.empty();
	}

	/**
	 * The objects directly under the folder {@code prefix} (ending in {@code /}) as files of one
	 * folder on this disk, for a program that reads them side by side (ffmpeg reading an HLS
	 * rendition): in place when the store is on this disk, else downloaded into {@code scratch}.
	 * Returns the path of {@code name} in that folder.
	 */
	default Path localFolder(String prefix, String name, Path scratch) throws IOException {
		Optional<Path> local = localPath(prefix + name);
		if (local.isPresent()) {
			return local.get();
		}
		java.nio.file.Files.createDirectories(scratch);
		for (String key : list(prefix)) {
			String file = key.substring(prefix.length());
			if (!file.contains("/")) {
				download(key, scratch.resolve(file));
			}
		}
		return scratch.resolve(name);
	}

	/**
	 * A URL anyone holding it can GET the object from directly, valid for {@code ttl}, when the
	 * store can make one (S3's presigned URLs); the answer carries {@code contentType} and, when not
	 * null, {@code contentDisposition}. Empty for stores without one (a local disk).
	 */
	default Optional<java.net.URI> presignedGet(String key, java.time.Duration ttl, String contentType,
			String contentDisposition) {
		return Optional.empty();
	}

	/** Uploads straight from clients into the store, where it has them (S3); empty otherwise. */
	default Optional<DirectUploads> directUploads() {
		return Optional.empty();
	}

	/** Keys under a prefix, sorted. */
	List<String> list(String prefix) throws IOException;

	/** Deletes one object; no error when it does not exist. */
	void delete(String key) throws IOException;

	/**
	 * Deletes every object whose key starts with {@code prefix}, and abandons the unfinished
	 * {@link DirectUploads} to such keys; returns how many objects were removed.
	 */
	int deletePrefix(String prefix) throws IOException;
}
