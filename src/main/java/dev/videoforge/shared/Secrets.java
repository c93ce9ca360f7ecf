package dev.videoforge.shared;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Random keys made once and kept in the data directory, for installs that configure none. */
public final class Secrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Secrets() {
	}

	/** The key in {@code file}, or a new random key of {@code bytes} bytes written there (owner-only). */
	public static byte[] loadOrCreate(Path file, int bytes) throws IOException {
		return Base64.getDecoder().decode(loadOrCreateText(file, bytes, Base64.getEncoder()));
	}

	/**
	 * The text in {@code file}, or {@code bytes} random bytes in {@code encoding} written there
	 * (owner-only). Processes sharing the folder and starting together all end up with the one that
	 * was written first: the file appears whole (a hard link of a finished temporary file) and never
	 * replaces one that exists.
	 */
	public static String loadOrCreateText(Path file, int bytes, Base64.Encoder encoding) throws IOException {
		if (Files.exists(file)) {
			return Files.readString(file).trim();
		}
		byte[] key = new byte[bytes];
		RANDOM.nextBytes(key);
		Files.createDirectories(file.getParent());
		Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
		try {
			try {
				Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ignored) {
				// not a POSIX file system
			}
			Files.writeString(temp, encoding.encodeToString(key));
			try {
				Files.createLink(file, temp);
			}
			catch (FileAlreadyExistsException lostTheRace) {
				// another process wrote it first: use theirs
			}
			catch (UnsupportedOperationException noHardLinks) {
				try {
					Files.move(temp, file);
				}
				catch (FileAlreadyExistsException lostTheRace) {
					// as above
				}
			}
		}
		finally {
			Files.deleteIfExists(temp);
		}
		return Files.readString(file).trim();
	}
}
