package dev.videoforge.streaming;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Streaming settings ({@code videoforge.streaming.*}).
 *
 * @param playlistMaxAge how long a CDN or player may cache a playlist or storyboard cue file
 * @param mediaMaxAge how long segments, init segments and images may be cached (they never change)
 * @param downloadRemuxTimeout longest time making one quality's MP4 download (a copy of its HLS
 *        rendition into one faststart MP4, no re-encoding) may take before ffmpeg is stopped
 * @param downloadWait how long a download request waits for its MP4 to be made the first time;
 *        after that it is answered 503 with {@code Retry-After} while the MP4 is finished
 * @param maxConcurrentRemuxes most MP4 downloads made at once in this process (the rest queue)
 */
@ConfigurationProperties("videoforge.streaming")
public record StreamingSettings(@DefaultValue("10s") Duration playlistMaxAge, @DefaultValue("365d") Duration mediaMaxAge,
		@DefaultValue("15m") Duration downloadRemuxTimeout, @DefaultValue("60s") Duration downloadWait,
		@DefaultValue("1") int maxConcurrentRemuxes) {
}
