package dev.videoforge.upload.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.shared.ApiExceptionHandler;
import dev.videoforge.shared.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TusHeadersTests {

	private static String b64(String value) {
		return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void readsUploadMetadataIncludingKeysWithoutValues() {
		var metadata = TusController.parseMetadata("filename " + b64("cat video.mp4") + ",title " + b64("Ünïcode ✓")
				+ ", is_confidential");
		assertThat(metadata).containsEntry("filename", "cat video.mp4").containsEntry("title", "Ünïcode ✓")
				.containsEntry("is_confidential", "");
	}

	@Test
	void refusesMetadataThatIsNotBase64() {
		assertThatThrownBy(() -> TusController.parseMetadata("title not*base64")).isInstanceOf(Refusal.class)
				.hasMessageContaining("title");
	}

	@Test
	void checksSha1OfTheChunk() throws Exception {
		byte[] chunk = "hello tus".getBytes(StandardCharsets.UTF_8);
		String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(chunk));
		var good = TusChunks.Checksum.parse("sha1 " + digest);
		good.update(chunk, chunk.length);
		assertThat(good.matches()).isTrue();
		var bad = TusChunks.Checksum.parse("sha1 " + digest);
		bad.update(chunk, chunk.length - 1);
		assertThat(bad.matches()).isFalse();
		assertThat(TusChunks.Checksum.parse(null).matches()).isTrue();
	}

	@Test
	void refusesAnUnsupportedChecksumAlgorithmWith400() {
		assertThatThrownBy(() -> TusChunks.Checksum.parse("crc32 AAAA"))
				.isInstanceOfSatisfying(Refusal.class, e -> assertThat(ApiExceptionHandler.statusOf(e).value()).isEqualTo(400));
	}
}
