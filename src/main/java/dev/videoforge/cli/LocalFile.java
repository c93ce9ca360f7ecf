package dev.videoforge.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A file to upload, resolved (symbolic links followed) and checked before anything is sent. */
record LocalFile(Path path, long size, long modifiedMillis) {

	static LocalFile of(String name) {
		Path given = Path.of(name);
		try {
			Path real = given.toRealPath();
			if (Files.isDirectory(real)) {
				throw CliException.failed(name + " is a directory, not a file");
			}
			if (!Files.isReadable(real)) {
				throw CliException.failed("cannot read " + name + ": permission denied");
			}
			long size = Files.size(real);
			if (size == 0) {
				throw CliException.failed(name + " is empty");
			}
			return new LocalFile(real, size, Files.getLastModifiedTime(real).toMillis());
		}
		catch (NoSuchFileException e) {
			throw CliException.failed("no such file: " + name);
		}
		catch (AccessDeniedException e) {
			throw CliException.failed("cannot read " + name + ": permission denied");
		}
		catch (IOException e) {
			throw CliException.failed("cannot read " + name + ": " + e.getMessage());
		}
	}
}
