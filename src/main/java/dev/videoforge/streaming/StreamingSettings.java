package dev.videoforge.streaming;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Streaming settings ({@code videoforge.streaming.*}).
 *
 * @param playlistMaxAge how long a CDN or player may cache a playlist or storyboard cue file
 * @param mediaMaxAge how long segments, init segments and images may be cached (they never change)
 */
@ConfigurationProperties("videoforge.streaming")
public record StreamingSettings(@DefaultValue("10s") Duration playlistMaxAge, @DefaultValue("365d") Duration mediaMaxAge) {
}
