package dev.videoforge.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Caption settings ({@code videoforge.captions.*}): the limits a caption file (uploaded or
 * extracted from the source) must keep before it is stored.
 *
 * @param maxBytes largest caption file accepted (more is 413)
 * @param maxCues most cues one file may hold (more is 422)
 * @param maxCueLength most characters of text one cue may hold after cleaning (more is 422)
 * @param maxLabelLength longest label accepted
 * @param maxTracks most caption tracks one video may have (a new language beyond it is 409)
 * @param timingMargin how far past the video's end a cue may start and end; cues starting later
 *        are dropped, cues ending later are cut there
 */
@ConfigurationProperties("videoforge.captions")
public record CaptionSettings(@DefaultValue("1MB") DataSize maxBytes, @DefaultValue("5000") int maxCues,
		@DefaultValue("1000") int maxCueLength, @DefaultValue("64") int maxLabelLength,
		@DefaultValue("20") int maxTracks, @DefaultValue("5s") Duration timingMargin) {
}
