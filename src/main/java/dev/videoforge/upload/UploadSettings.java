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
 * @param stagingDir this process's scratch for uploads (a PATCH body while it arrives, a finished
 *        upload while it is inspected); defaults to {@code <data-dir>/uploads}. Unfinished tus
 *        uploads themselves are staged in storage, where every gateway finds them
 * @param expiry how long an unfinished upload is kept after its last change
 * @param maxOpenUploads most unfinished uploads one account may have at once (administrators: no limit)
 * @param maxVideos most videos one account may have, of every status; 0 means no limit
 * @param maxStored most bytes of originals one account may have stored (the sum of its uploads' sizes)
 * @param minFreeSpace uploads are refused (503) while the scratch disk ({@code stagingDir}) would keep
 *        less than this free
 * @param maxChunks most PATCH requests whose bytes one tus upload may keep (400 beyond it: send larger
 *        chunks); each is a piece in storage and a row, which the last chunk reads back in order
 * @param direct offer uploads straight into storage ({@code /api/direct-uploads}) when the store
 *        has them (S3: presigned part URLs); the upload page and the CLI use them when offered
 * @param directPartSize the size of each part of a direct upload (at least 5MB, S3's minimum; larger
 *        for files that would need more than 10,000 parts)
 * @param directUrlTtl how long a presigned part URL may be used
 */
@ConfigurationProperties("videoforge.upload")
public record UploadSettings(@DefaultValue("10GB") DataSize maxSize, @DefaultValue("6h") Duration maxDuration,
		@DefaultValue("8192") int maxWidth, @DefaultValue("8192") int maxHeight, Path stagingDir,
		@DefaultValue("24h") Duration expiry, @DefaultValue("10") int maxOpenUploads, @DefaultValue("1000") int maxVideos,
		@DefaultValue("200GB") DataSize maxStored, @DefaultValue("1GB") DataSize minFreeSpace,
		@DefaultValue("10000") int maxChunks, @DefaultValue("true") boolean direct,
		@DefaultValue("8MB") DataSize directPartSize, @DefaultValue("1h") Duration directUrlTtl) {
}
