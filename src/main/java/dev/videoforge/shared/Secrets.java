package dev.videoforge.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Random keys made once and kept in the data directory, for installs that configure none. */
public final class Secrets {

	private Secrets() {
	}

	/** The key in {@code file}, or a new random key of {@code bytes} bytes written there (owner-only). */
	public static byte[] loadOrCreate(Path file, int bytes) throws IOException {
		if (Files.exists(file)) {
			return Base64.getDecoder().decode(Files.readString(file).trim());
		}
		byte[] key = new byte[bytes];
		new SecureRandom().nextBytes(key);
		Files.createDirectories(file.getParent());
		Path temp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temp, Base64.getEncoder().encodeToString(key));
		try {
			Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ignored) {
			// not a POSIX file system
		}
		Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
		return key;
	}
}
