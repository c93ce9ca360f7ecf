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
 * @param maxOpenUploads most unfinished uploads one account may have at once (administrators: no limit)
 * @param maxVideos most videos one account may have, of every status; 0 means no limit
 * @param maxStored most bytes of originals one account may have stored (the sum of its uploads' sizes)
 * @param minFreeSpace uploads are refused (503) while the disk of unfinished uploads would keep less than this free
 */
@ConfigurationProperties("videoforge.upload")
public record UploadSettings(@DefaultValue("10GB") DataSize maxSize, @DefaultValue("6h") Duration maxDuration,
		@DefaultValue("8192") int maxWidth, @DefaultValue("8192") int maxHeight, Path stagingDir,
		@DefaultValue("24h") Duration expiry, @DefaultValue("10") int maxOpenUploads, @DefaultValue("1000") int maxVideos,
		@DefaultValue("200GB") DataSize maxStored, @DefaultValue("1GB") DataSize minFreeSpace) {
}
