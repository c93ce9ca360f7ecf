package dev.videoforge.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Gallery settings ({@code videoforge.catalog.*}).
 *
 * @param maxTitleLength longest title accepted
 * @param maxDescriptionLength longest description accepted
 * @param maxPageSize largest page a listing returns
 * @param maxPage deepest page a listing or search reaches (counting from 0); deeper is 400, so no
 *        request makes the database skip past millions of rows
 * @param eventPollInterval how often a status stream (SSE) looks for changes
 * @param eventTimeout longest life of one status stream; clients reconnect after it
 * @param eventHeartbeat how often a status stream sends an SSE comment ({@code :keep-alive}) so
 *        that a client that went away is noticed (and proxies keep the connection); 0 sends none
 * @param eventStreamsPerAddress most status streams open at once from one client address (more is 429)
 * @param eventStreamsTotal most status streams open at once in one process (more is 503)
 * @param downloadableByDefault whether a new video may be downloaded as MP4 before its owner says
 *        (the owner's {@code downloadable} switch)
 * @param posterMaxImageSize largest image an owner may upload as a poster (more is 413)
 * @param posterMaxImagePixels most pixels (width times height) an uploaded poster image may have:
 *        a small file can claim a huge picture (a decompression bomb), which is refused unread (415)
 * @param posterTimeout longest time one ffprobe or ffmpeg run for a poster may take
 */
@ConfigurationProperties("videoforge.catalog")
public record CatalogSettings(@DefaultValue("200") int maxTitleLength, @DefaultValue("5000") int maxDescriptionLength,
		@DefaultValue("100") int maxPageSize, @DefaultValue("1s") Duration eventPollInterval,
		@DefaultValue("30m") Duration eventTimeout, @DefaultValue("15s") Duration eventHeartbeat,
		@DefaultValue("500") int maxPage, @DefaultValue("10") int eventStreamsPerAddress,
		@DefaultValue("1000") int eventStreamsTotal, @DefaultValue("false") boolean downloadableByDefault,
		@DefaultValue("10MB") DataSize posterMaxImageSize, @DefaultValue("40000000") long posterMaxImagePixels,
		@DefaultValue("30s") Duration posterTimeout) {
}
