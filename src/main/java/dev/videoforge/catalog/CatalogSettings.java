package dev.videoforge.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 */
@ConfigurationProperties("videoforge.catalog")
public record CatalogSettings(@DefaultValue("200") int maxTitleLength, @DefaultValue("5000") int maxDescriptionLength,
		@DefaultValue("100") int maxPageSize, @DefaultValue("1s") Duration eventPollInterval,
		@DefaultValue("30m") Duration eventTimeout, @DefaultValue("15s") Duration eventHeartbeat,
		@DefaultValue("500") int maxPage, @DefaultValue("10") int eventStreamsPerAddress,
		@DefaultValue("1000") int eventStreamsTotal) {
}
