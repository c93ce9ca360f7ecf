package dev.videoforge.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link BlobStore} adapter must do; one subclass per backend. */
abstract class BlobStoreContract {

	@TempDir
	Path temp;

	abstract BlobStore store();

	private Path file(String name, byte[] bytes) throws Exception {
		return Files.write(temp.resolve(name), bytes);
	}

	@Test
	void storesStatsAndReadsBackRanges() throws Exception {
		BlobStore store = store();
		byte[] bytes = new byte[300_000];
		new Random(7).nextBytes(bytes);
		store.put("renditions/v1/720p/seg_00000.m4s", file("seg", bytes));
		var info = store.stat("renditions/v1/720p/seg_00000.m4s").orElseThrow();
		assertThat(info.size()).isEqualTo(bytes.length);
		assertThat(info.etag()).isNotBlank();
		try (InputStream in = store.open("renditions/v1/720p/seg_00000.m4s", 1000, 5000)) {
			assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 6000));
		}
		Path copy = temp.resolve("copy");
		store.download("renditions/v1/720p/seg_00000.m4s", copy);
		assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
	}

	@Test
	void replacingAnObjectChangesItsEtag() throws Exception {
		BlobStore store = store();
		store.put("a/b.txt", file("one", "one".getBytes(StandardCharsets.UTF_8)));
		String first = store.stat("a/b.txt").orElseThrow().etag();
		Thread.sleep(5);
		store.put("a/b.txt", file("two", "second version".getBytes(StandardCharsets.UTF_8)));
		assertThat(store.stat("a/b.txt").orElseThrow().etag()).isNotEqualTo(first);
		try (InputStream in = store.open("a/b.txt", 0, 100)) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second version");
		}
	}

	@Test
	void missingObjectsAreEmptyOrNotFound() throws Exception {
		BlobStore store = store();
		assertThat(store.stat("nothing/here")).isEmpty();
		assertThatThrownBy(() -> store.open("nothing/here", 0, 1)).isInstanceOf(BlobNotFoundException.class);
		assertThatThrownBy(() -> store.download("nothing/here", temp.resolve("x"))).isInstanceOf(BlobNotFoundException.class);
		store.delete("nothing/here");
	}

	@Test
	void listsAndDeletesByPrefixWithoutTouchingNeighbours() throws Exception {
		BlobStore store = store();
		Path f = file("f", new byte[] { 1 });
		store.put("renditions/abc/master.m3u8", f);
		store.put("renditions/abc/720p/index.m3u8", f);
		store.put("renditions/abcd/master.m3u8", f);
		store.put("originals/abc", f);
		assertThat(store.list("renditions/abc/")).containsExactly("renditions/abc/720p/index.m3u8", "renditions/abc/master.m3u8");
		assertThat(store.deletePrefix("renditions/abc/")).isEqualTo(2);
		assertThat(store.list("renditions/")).containsExactly("renditions/abcd/master.m3u8");
		assertThat(store.stat("originals/abc")).isPresent();
	}

	@Test
	void moveInTakesTheFile() throws Exception {
		BlobStore store = store();
		Path f = file("moved", new byte[] { 1, 2, 3 });
		store.moveIn("originals/xyz", f);
		assertThat(Files.exists(f)).isFalse();
		assertThat(store.stat("originals/xyz").orElseThrow().size()).isEqualTo(3);
	}

	@Test
	void refusesKeysThatLeaveTheStore() {
		BlobStore store = store();
		for (String key : new String[] { "../escape", "/etc/passwd", "a/../../b", "" }) {
			assertThatThrownBy(() -> store.stat(key)).as(key).isInstanceOf(IllegalArgumentException.class);
		}
	}
}
