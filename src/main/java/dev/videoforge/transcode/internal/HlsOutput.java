package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what ffmpeg's HLS muxer wrote and writes the master playlist from measured figures:
 * BANDWIDTH is the peak segment bitrate (RFC 8216 §4.3.4.2), AVERAGE-BANDWIDTH the mean, CODECS
 * as ffmpeg found them in the encoded streams.
 */
final class HlsOutput {

	/**
	 * One rendition as written: total duration, peak and average bits per second. {@code quality} is
	 * null for audio, {@code track} null for pictures.
	 */
	record Measured(Plan.Quality quality, Plan.AudioTrack track, String name, double durationSeconds, long peakBps,
			long averageBps, int segments) {
	}

	private HlsOutput() {
	}

	static Measured finishAndMeasure(Path renditionDir, Plan.Quality quality) throws IOException {
		return finishAndMeasure(renditionDir, quality, null, quality.name());
	}

	static Measured finishAndMeasure(Path renditionDir, Plan.AudioTrack track) throws IOException {
		return finishAndMeasure(renditionDir, null, track, track.name());
	}

	/**
	 * Finishes the playlist ffmpeg wrote in {@code renditionDir} (a VOD playlist with a target
	 * duration players accept, {@link #fixTargetDuration}), checks each segment it names is media,
	 * and measures the rendition from the segments' sizes and durations.
	 */
	static Measured finishAndMeasure(Path renditionDir, Plan.Quality quality, Plan.AudioTrack track, String name) throws IOException {
		Path playlist = renditionDir.resolve(VideoFiles.PLAYLIST);
		List<String> lines = Files.readAllLines(playlist);
		double total = 0;
		double longest = 0;
		long bits = 0;
		long peak = 0;
		int segments = 0;
		double pending = -1;
		for (String line : lines) {
			if (line.startsWith("#EXT-X-MAP:URI=\"")) {
				requireMedia(renditionDir.resolve(line.substring(16, line.indexOf('"', 16))));
			}
			else if (line.startsWith("#EXTINF:")) {
				String value = line.substring("#EXTINF:".length());
				int comma = value.indexOf(',');
				pending = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
			}
			else if (!line.isBlank() && !line.startsWith("#") && pending >= 0) {
				long size = requireMedia(renditionDir.resolve(line.trim()));
				total += pending;
				longest = Math.max(longest, pending);
				bits += size * 8;
				if (pending > 0.5) {
					peak = Math.max(peak, Math.round(size * 8 / pending));
				}
				else {
					peak = Math.max(peak, Math.round(size * 8 / 0.5));
				}
				segments++;
				pending = -1;
			}
		}
		fixTargetDuration(playlist, lines, longest);
		long average = total > 0 ? Math.round(bits / total) : 0;
		return new Measured(quality, track, name, total, Math.max(peak, average), average, segments);
	}

	/** The boxes an fMP4 segment (or its init section) may start with, ISO/IEC 14496-12 and 23000-19. */
	private static final java.util.Set<String> FIRST_BOXES = java.util.Set.of("styp", "sidx", "moof", "ftyp", "emsg", "prft");

	/**
	 * The segment's size, once it is seen to start with an MP4 box that fits in it: an empty or
	 * zero-filled file (what a full disk or a crash can leave) is not a segment, whatever the
	 * playlist says of it.
	 */
	private static long requireMedia(Path segment) throws IOException {
		long size = Files.size(segment);
		byte[] head = new byte[8];
		int read;
		try (var in = Files.newInputStream(segment)) {
			read = in.readNBytes(head, 0, 8);
		}
		long boxSize = ((head[0] & 0xffL) << 24) | ((head[1] & 0xffL) << 16) | ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
		String type = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
		if (read < 8 || !FIRST_BOXES.contains(type) || (boxSize != 1 && (boxSize < 8 || boxSize > size))) {
			throw new IOException("the segment " + segment.getFileName() + " (" + size + " bytes) holds no media");
		}
		return size;
	}

	/**
	 * ffmpeg wrote an EVENT playlist (so it could be published while it grew); finished, it is a
	 * VOD one (RFC 8216 §4.3.3.5), and RFC 8216 §4.3.3.1: "The EXTINF duration of each Media Segment ... when rounded to the nearest
	 * integer, MUST be less than or equal to the target duration". ffmpeg writes 0 for clips under
	 * half a second, which some players refuse; at least 1 and never below the longest segment.
	 */
	private static void fixTargetDuration(Path playlist, List<String> lines, double longest) throws IOException {
		int target = Math.max(1, (int) Math.ceil(longest - 0.0005));
		List<String> fixed = lines.stream()
				.map(l -> l.startsWith("#EXT-X-TARGETDURATION:") ? "#EXT-X-TARGETDURATION:" + Math.max(target,
						Integer.parseInt(l.substring("#EXT-X-TARGETDURATION:".length()).trim()))
						: l.startsWith("#EXT-X-PLAYLIST-TYPE:") ? "#EXT-X-PLAYLIST-TYPE:VOD" : l)
				.toList();
		if (!fixed.equals(lines)) {
			Files.write(playlist, fixed);
		}
	}

	/** CODECS attribute per rendition name, from the master playlist ffmpeg wrote. */
	static Map<String, String> codecsFromFfmpegMaster(Path master) throws IOException {
		Map<String, String> codecs = new HashMap<>();
		if (!Files.exists(master)) {
			return codecs;
		}
		String pending = null;
		for (String line : Files.readAllLines(master)) {
			if (line.startsWith("#EXT-X-STREAM-INF:")) {
				int start = line.indexOf("CODECS=\"");
				pending = start < 0 ? null : line.substring(start + 8, line.indexOf('"', start + 8));
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				String name = line.trim();
				int slash = name.indexOf('/');
				if (slash > 0 && pending != null) {
					codecs.put(name.substring(0, slash), pending);
				}
				pending = null;
			}
		}
		return codecs;
	}

	/** AAC-LC, RFC 6381: the one audio codec the renditions have. */
	static final String AAC = "mp4a.40.2";

	/**
	 * The master playlist. With pictures: one {@code #EXT-X-MEDIA:TYPE=AUDIO} per audio track in
	 * one group (RFC 8216 §4.3.4.1), the first the DEFAULT, and one {@code #EXT-X-STREAM-INF} per
	 * quality naming that group; a variant's BANDWIDTH and AVERAGE-BANDWIDTH count its pictures plus
	 * the default track, and its CODECS both, since §4.3.4.2 wants every stream the variant may
	 * play with counted. Sound alone: one {@code #EXT-X-STREAM-INF} per audio rendition, as before
	 * audio tracks were their own renditions (the first is the one players start with).
	 */
	static String master(List<Measured> video, List<Measured> audio, Map<String, String> codecs, double fps) {
		StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
		if (video.isEmpty()) {
			for (Measured m : audio) {
				out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(m.peakBps()).append(",AVERAGE-BANDWIDTH=")
						.append(m.averageBps()).append(",CODECS=\"").append(AAC).append("\"\n");
				out.append(m.name()).append("/index.m3u8\n");
			}
			return out.toString();
		}
		Measured sound = audio.stream().filter(m -> m.track().isDefault()).findFirst().orElse(audio.isEmpty() ? null : audio.get(0));
		for (Measured m : audio) {
			Plan.AudioTrack t = m.track();
			out.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(FfmpegCommand.AUDIO_GROUP).append("\",NAME=\"")
					.append(quoted(t.label())).append("\",LANGUAGE=\"").append(quoted(t.language())).append("\",DEFAULT=")
					.append(t.isDefault() ? "YES" : "NO").append(",AUTOSELECT=YES,CHANNELS=\"2\",URI=\"").append(m.name())
					.append("/index.m3u8\"\n");
		}
		for (Measured m : video) {
			String codec = videoCodec(codecs.get(m.name()));
			out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(m.peakBps() + (sound == null ? 0 : sound.peakBps()))
					.append(",AVERAGE-BANDWIDTH=").append(m.averageBps() + (sound == null ? 0 : sound.averageBps()));
			out.append(",RESOLUTION=").append(m.quality().width()).append('x').append(m.quality().height());
			out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", fps));
			out.append(",CODECS=\"").append(codec).append(sound == null ? "" : "," + AAC).append('"');
			if (sound != null) {
				out.append(",AUDIO=\"").append(FfmpegCommand.AUDIO_GROUP).append('"');
			}
			out.append('\n').append(m.name()).append("/index.m3u8\n");
		}
		return out.toString();
	}

	/** The H.264 entry of what ffmpeg found for a quality ({@code avc1.640028,mp4a.40.2} gives {@code avc1.640028}). */
	private static String videoCodec(String found) {
		if (found != null) {
			for (String codec : found.split(",")) {
				if (codec.strip().startsWith("avc1.")) {
					return codec.strip();
				}
			}
		}
		return "avc1.640028";
	}

	/** §4.2: a quoted-string holds no '"', CR or LF (the labels are checked already; this is the last guard). */
	private static String quoted(String value) {
		return value.replace('"', '\'').replaceAll("[\\r\\n]", " ");
	}

	/** WebVTT cues pointing into the storyboard sprite with media fragments ({@code #xywh=}). */
	static String storyboardVtt(Plan.Storyboard sb, double duration, String sprite) {
		StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
		for (int i = 0; i < sb.count(); i++) {
			double start = i * sb.intervalSeconds();
			if (start >= duration && i > 0) {
				break;
			}
			double end = Math.min(duration, (i + 1) * sb.intervalSeconds());
			if (end <= start) {
				end = start + 0.001;
			}
			int x = (i % sb.columns()) * sb.width();
			int y = (i / sb.columns()) * sb.height();
			vtt.append(timestamp(start)).append(" --> ").append(timestamp(end)).append('\n').append(sprite)
					.append("#xywh=").append(x).append(',').append(y).append(',').append(sb.width()).append(',')
					.append(sb.height()).append("\n\n");
		}
		return vtt.toString();
	}

	static String timestamp(double seconds) {
		long millis = Math.round(seconds * 1000);
		return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, (millis / 60_000) % 60,
				(millis / 1000) % 60, millis % 1000);
	}
}
