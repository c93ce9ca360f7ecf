package dev.videoforge.media;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Media tool settings ({@code videoforge.media.*}).
 *
 * @param ffmpeg the ffmpeg executable (a name on PATH or a path)
 * @param ffprobe the ffprobe executable
 * @param probeTimeout longest time one ffprobe may run before the file is refused
 */
@ConfigurationProperties("videoforge.media")
public record MediaSettings(@DefaultValue("ffmpeg") String ffmpeg, @DefaultValue("ffprobe") String ffprobe,
		@DefaultValue("60s") Duration probeTimeout) {
}
