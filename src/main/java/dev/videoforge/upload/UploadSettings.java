package dev.videoforge.upload;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Upload settings ({@code videoforge.upload.*}).
 *
 * @param maxSize largest file accepted (413 beyond it)
 * @param maxDuration longest media accepted (422 beyond it)
 * @param maxWidth widest picture accepted, in pixels (422 beyond it)
 * @param maxHeight tallest picture accepted, in pixels (422 beyond it)
 * @param stagingDir where unfinished uploads are kept; defaults to {@code <data-dir>/uploads}
 * @param expiry how long an unfinished upload is kept after its last change
 */
@ConfigurationProperties("videoforge.upload")
public record UploadSettings(@DefaultValue("10GB") DataSize maxSize, @DefaultValue("6h") Duration maxDuration,
		@DefaultValue("8192") int maxWidth, @DefaultValue("8192") int maxHeight, Path stagingDir,
		@DefaultValue("24h") Duration expiry) {
}
