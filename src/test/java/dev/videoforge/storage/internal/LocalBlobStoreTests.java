package dev.videoforge.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.storage.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTests extends BlobStoreContract {

	@TempDir
	Path root;

	@Override
	BlobStore store() {
		try {
			return new LocalBlobStore(root);
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@Test
	void writesLeaveNoTemporaryFilesAndDeletesLeaveNoEmptyFolders() throws Exception {
		BlobStore store = store();
		Path f = Files.write(root.resolveSibling("payload-" + System.nanoTime()), new byte[1000]);
		store.put("renditions/v/720p/a.m4s", f);
		try (Stream<Path> tmp = Files.list(root.resolve(".tmp"))) {
			assertThat(tmp.toList()).isEmpty();
		}
		store.deletePrefix("renditions/v/");
		assertThat(Files.exists(root.resolve("renditions/v"))).isFalse();
		Files.deleteIfExists(f);
	}

	@Test
	void givesTheLocalPathSoTheProcessorNeedNotCopy() throws Exception {
		BlobStore store = store();
		Path f = Files.write(root.resolveSibling("orig-" + System.nanoTime()), new byte[10]);
		store.put("originals/v", f);
		assertThat(store.localPath("originals/v")).hasValue(root.resolve("originals/v"));
		assertThat(store.localPath("originals/none")).isEmpty();
		Files.deleteIfExists(f);
	}

	@Test
	void aStartRemovesTemporaryFilesLeftByAStoppedWriteButNotFreshOnes(@TempDir Path folder) throws Exception {
		Path tmp = Files.createDirectories(folder.resolve(".tmp"));
		Path old = Files.writeString(tmp.resolve("killed.part"), "half");
		Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
		Path fresh = Files.writeString(tmp.resolve("writing.part"), "another process is writing this");
		new LocalBlobStore(folder);
		assertThat(old).doesNotExist();
		assertThat(fresh).exists();
	}
}
