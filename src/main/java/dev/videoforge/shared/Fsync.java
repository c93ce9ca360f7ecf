package dev.videoforge.shared;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Forces files and folder entries to the disk before the server acknowledges them, so that what
 * was answered 2xx survives a crash of the machine, not only of the process. (A process killed
 * with SIGKILL loses nothing that reached the kernel; a power cut loses what the kernel had not
 * written yet.)
 */
public final class Fsync {

	private Fsync() {
	}

	/** Forces the file's bytes to the disk. */
	public static void file(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			channel.force(false);
		}
	}

	/**
	 * Forces the folder's entries (a file created, renamed into it or removed) to the disk. A no-op
	 * where folders cannot be opened for that (Windows).
	 */
	public static void directory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException e) {
			if (System.getProperty("os.name", "").startsWith("Windows")) {
				return;
			}
			throw e;
		}
	}
}
