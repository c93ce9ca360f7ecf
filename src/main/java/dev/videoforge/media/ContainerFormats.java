package dev.videoforge.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which container formats are media, by ffmpeg's demuxer names, and the arguments that pin one.
 * An allowlist: a file is media only when the demuxer ffprobe picks for it is listed. Every later
 * run of that file names the demuxer ({@code -f}), allows only it ({@code -format_whitelist}) and
 * only the {@code file} protocol, so nothing inside the file can make ffmpeg open another file or
 * a URL (an HLS playlist naming other accounts' segments, a concat script, an image sequence).
 */
public final class ContainerFormats {

	/**
	 * Demuxers that read other files or are not media at all: never accepted, even when listed in
	 * the settings. Playlists and manifests, scripts, image sequences and pipes, text and subtitles.
	 */
	static final Set<String> NEVER = Set.of("hls", "applehttp", "dash", "concat", "image2", "image2pipe", "tty", "bin",
			"xbin", "idf", "adf", "ansi", "sbg", "lavfi", "ffmetadata", "data", "imf", "mpl2", "microdvd", "srt", "subrip",
			"ass", "ssa", "webvtt", "subviewer", "subviewer1", "jacosub", "vplayer", "pjs", "sami", "realtext", "stl", "scc",
			"lrc", "aqtitle", "mcc", "txt", "svg", "smil", "live_flv", "kux", "ifv", "http", "rtsp", "rtp", "sdp", "sap");

	private final List<String> allowed;

	public ContainerFormats(List<String> configured) {
		LinkedHashSet<String> names = new LinkedHashSet<>();
		for (String name : configured) {
			String clean = name.trim().toLowerCase(Locale.ROOT);
			if (!clean.isEmpty() && !forbidden(clean)) {
				names.add(clean);
			}
		}
		if (names.isEmpty()) {
			throw new IllegalArgumentException("videoforge.media.formats names no acceptable container format");
		}
		this.allowed = List.copyOf(names);
	}

	private static boolean forbidden(String demuxer) {
		return NEVER.contains(demuxer) || demuxer.endsWith("_pipe");
	}

	/** The allowlist as ffmpeg's {@code -format_whitelist} value. */
	public String whitelist() {
		return String.join(",", allowed);
	}

	/**
	 * The demuxer to pin for a format ffprobe reported (its {@code format_name}, a list such as
	 * {@code mov,mp4,m4a,3gp,3g2,mj2}); empty when the format is not media.
	 */
	public Optional<String> pin(String formatName) {
		if (formatName == null || formatName.isBlank()) {
			return Optional.empty();
		}
		List<String> names = Arrays.stream(formatName.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
		if (names.stream().anyMatch(ContainerFormats::forbidden)) {
			return Optional.empty();
		}
		return names.stream().anyMatch(allowed::contains) ? Optional.of(names.get(0)) : Optional.empty();
	}

	/**
	 * Input options that pin the demuxer of the next {@code -i}: this demuxer only, local files only,
	 * and no external references (QuickTime data references stay off).
	 */
	public static List<String> pinnedInput(String demuxer) {
		List<String> args = new ArrayList<>(List.of("-f", demuxer, "-format_whitelist", demuxer, "-protocol_whitelist", "file"));
		if (demuxer.equals("mov")) {
			args.addAll(List.of("-enable_drefs", "0"));
		}
		return args;
	}
}
