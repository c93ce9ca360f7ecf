package dev.videoforge.media;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Media tool settings ({@code videoforge.media.*}).
 *
 * @param ffmpeg the ffmpeg executable (a name on PATH or a path)
 * @param ffprobe the ffprobe executable
 * @param probeTimeout longest time one ffprobe (or the duration measurement) may run before the file is refused
 * @param formats container formats accepted, as ffmpeg's demuxer names; a file is accepted when the
 *        demuxer ffprobe detects for it is one of these, and every later run of the file is pinned to it
 * @param sandbox {@code auto}: run ffprobe and ffmpeg in a bubblewrap sandbox that sees only the job's
 *        own files when bubblewrap works here; {@code required}: refuse to start without it; {@code off}
 * @param bwrap the bubblewrap executable
 * @param maxProbeOutput most bytes ffprobe may write about one file before the file is refused
 * @param maxConcurrentProbes most ffprobe runs at once in this process; 0 means one per CPU core
 * @param probeWait how long an upload waits for a free probe slot before it is answered 503
 */
@ConfigurationProperties("videoforge.media")
public record MediaSettings(@DefaultValue("ffmpeg") String ffmpeg, @DefaultValue("ffprobe") String ffprobe,
		@DefaultValue("60s") Duration probeTimeout,
		@DefaultValue({ "mov", "matroska", "avi", "flv", "mpegts", "mpeg", "asf", "ogg", "mp3", "wav", "w64", "flac", "aac",
				"amr", "amrnb", "amrwb", "aiff", "caf", "dv", "mxf" }) List<String> formats,
		@DefaultValue("auto") SandboxMode sandbox, @DefaultValue("bwrap") String bwrap,
		@DefaultValue("1MB") DataSize maxProbeOutput, @DefaultValue("0") int maxConcurrentProbes,
		@DefaultValue("30s") Duration probeWait) {

	public enum SandboxMode {
		AUTO, REQUIRED, OFF
	}

	public int effectiveMaxConcurrentProbes() {
		return maxConcurrentProbes > 0 ? maxConcurrentProbes : Math.max(1, Runtime.getRuntime().availableProcessors());
	}
}
