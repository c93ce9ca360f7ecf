package dev.videoforge.upload.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.support.ModuleTests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The upload module on its own (with the modules it uses: auth, catalog, media, queue, storage),
 * as Spring Modulith's module tests bootstrap it, without the web layer or ffmpeg: an account's
 * limits hold before a byte is taken, an unfinished upload's pieces are kept in storage at the
 * offset it stands at and put back together exactly, and a deleted video takes its pieces along.
 */
@ApplicationModuleTest(ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES)
class UploadModuleIntegrationTests {

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) throws Exception {
		ModuleTests.domainOnly(registry, "upload");
		registry.add("videoforge.upload.max-size", () -> "1MB");
		registry.add("videoforge.upload.max-videos", () -> "2");
		registry.add("videoforge.upload.max-open-uploads", () -> "5");
	}

	@Autowired
	UploadService uploads;

	@Autowired
	UploadPieces pieces;

	@Autowired
	VideoCatalog catalog;

	@Autowired
	BlobStore blobs;

	@Autowired
	JdbcClient jdbc;

	private CurrentUser account(String name) {
		return ModuleTests.account(jdbc, name, "USER");
	}

	@Test
	void anAccountsLimitsHoldBeforeAnyByteIsTaken() {
		CurrentUser owner = account("limits");
		assertThatThrownBy(() -> uploads.create(owner, null, null, "PUBLIC", "big.mp4", 2L << 20))
				.isInstanceOfSatisfying(Refusal.TooLarge.class, e -> assertThat(e.code()).isEqualTo("too_large"));
		assertThatThrownBy(() -> uploads.create(owner, null, null, "PUBLIC", "empty.mp4", 0))
				.isInstanceOfSatisfying(Refusal.UnsupportedType.class, e -> assertThat(e.code()).isEqualTo("not_media"));

		Video first = uploads.create(owner, null, null, "PUBLIC", "holiday/../first clip.mp4", 10);
		assertThat(first.title()).as("a title from the file name").isNotBlank();
		uploads.create(owner, "Second", null, "UNLISTED", "second.mp4", 10);
		assertThatThrownBy(() -> uploads.create(owner, "Third", null, "PUBLIC", "third.mp4", 10))
				.isInstanceOfSatisfying(Refusal.Unacceptable.class, e -> assertThat(e.code()).isEqualTo("video_quota_exceeded"));
		assertThat(catalog.usage(owner.id()).videos()).isEqualTo(2);
	}

	@Test
	void piecesAreKeptWhereTheUploadStandsAndPutBackTogetherExactly(@TempDir Path folder) throws Exception {
		CurrentUser owner = account("pieces");
		Video video = uploads.create(owner, "Pieces", null, "PRIVATE", "pieces.mp4", 11);
		pieces.add(video.id(), 0, 5, write(folder.resolve("a"), "hello"));
		assertThat(pieces.offset(video.id())).isEqualTo(5);
		assertThatThrownBy(() -> pieces.add(video.id(), 0, 6, write(folder.resolve("b"), " world")))
				.as("a piece for an offset the upload has passed")
				.isInstanceOfSatisfying(Refusal.Conflict.class, e -> assertThat(e.code()).isEqualTo("offset_mismatch"));
		assertThat(blobs.list(VideoFiles.uploads(video.id()))).as("the refused piece is not kept").hasSize(1);
		pieces.add(video.id(), 5, 6, write(folder.resolve("c"), " world"));

		Path whole = folder.resolve("whole");
		pieces.assemble(video.id(), whole, 11);
		assertThat(Files.readString(whole)).isEqualTo("hello world");
		assertThatThrownBy(() -> pieces.assemble(video.id(), whole, 12)).as("not the declared length").isInstanceOf(
				java.io.IOException.class);

		pieces.dropFrom(video.id(), 5);
		assertThat(pieces.offset(video.id())).as("the last piece given back").isEqualTo(5);

		// Deleting the video (catalog) removes what the upload kept (its pieces in storage).
		catalog.remove(video.id());
		assertThat(blobs.list(VideoFiles.uploads(video.id()))).isEmpty();
		assertThat(pieces.list(video.id())).isEmpty();
	}

	private static Path write(Path file, String text) throws java.io.IOException {
		return Files.writeString(file, text, StandardCharsets.UTF_8);
	}
}
