package dev.videoforge.media;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Says what a file is, or why it is not playable media: ffprobe detects the container among the
 * allowed ones only ({@link ContainerFormats}), reports just the fields used, and the duration is
 * then measured from the media itself (every packet's time stamp read, nothing decoded), because a
 * header's duration is only a claim: missing in browser recordings, absurd in some fragmented MP4s,
 * and a lie in crafted files. Both run in the {@link Sandbox}, under a time limit, an output limit
 * and a limit on how many run at once.
 */
@Component
public class MediaProbe {

	private static final Logger log = LoggerFactory.getLogger(MediaProbe.class);

	/** Pipe readers block: their own threads, never the common pool (one thread on a 2-core machine). */

	/** What ffprobe is asked for: the fields {@link #parse} reads; of the tags, rotation and what names a track. */
	private static final String ENTRIES = "format=format_name,duration"
			+ ":stream=index,codec_type,codec_name,width,height,pix_fmt,avg_frame_rate,r_frame_rate,field_order,"
			+ "bits_per_raw_sample,sample_aspect_ratio,color_transfer,channels,sample_rate,duration"
			+ ":stream_disposition=attached_pic:stream_tags=rotate,language,title,handler_name:stream_side_data_list";

	private static final java.util.regex.Pattern NOT_ON_WHITELIST = java.util.regex.Pattern
			.compile("\\[([\\w,]+) @ 0x[0-9a-f]+\\] Format not on whitelist");

	private final MediaSettings settings;
	private final ContainerFormats formats;
	private final Sandbox sandbox;
	private final Semaphore slots;
	private final JsonMapper json = JsonMapper.builder().build();

	public MediaProbe(MediaSettings settings, Sandbox sandbox) {
		this.settings = settings;
		this.formats = new ContainerFormats(settings.formats());
		this.sandbox = sandbox;
		this.slots = new Semaphore(settings.effectiveMaxConcurrentProbes(), true);
	}

	public ContainerFormats formats() {
		return formats;
	}

	/**
	 * Probes the file and measures its duration up to {@code measureUpTo} (a longer file reports
	 * that much, so the caller can refuse it without reading it all).
	 *
	 * @throws NotMediaException when it is not playable media, with a sentence that says why
	 * @throws ProbeBusyException when no probe slot came free in time
	 */
	public MediaInfo probe(Path file, Duration measureUpTo) {
		try {
			if (!slots.tryAcquire(settings.probeWait().toMillis(), TimeUnit.MILLISECONDS)) {
				throw new ProbeBusyException(settings.probeWait());
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting to probe", e);
		}
		try {
			MediaInfo header = describe(file);
			double measured = measure(file, header, measureUpTo);
			if (measured > 0) {
				// Copying reports where the last packet starts, a frame or two short of the end: a header
				// that agrees within that is the more precise figure; one that does not is a claim to ignore.
				if (Math.abs(measured - header.durationSeconds()) <= Math.max(0.5, measured * 0.05)) {
					return header;
				}
				log.info("{}: the header says {} s, the media holds {} s", file.getFileName(),
						String.format("%.3f", header.durationSeconds()), String.format("%.3f", measured));
				return header.withDuration(measured);
			}
			if (header.durationSeconds() <= 0) {
				throw new NotMediaException("the file has no playable duration");
			}
			return header;
		}
		finally {
			slots.release();
		}
	}

	/** ffprobe, restricted to the allowed containers; the result's format is the demuxer to pin. */
	private MediaInfo describe(Path file) {
		List<String> command = new ArrayList<>(List.of(settings.ffprobe(), "-v", "error", "-format_whitelist",
				formats.whitelist(), "-protocol_whitelist", "file", "-enable_drefs", "0", "-print_format", "json",
				"-show_entries", ENTRIES, "-i", "file:" + file.toAbsolutePath()));
		MediaTools.Result result = run(command, file, settings.maxProbeOutput().toBytes());
		if (result.exitCode() != 0) {
			var refused = NOT_ON_WHITELIST.matcher(result.stderr());
			if (refused.find()) {
				throw new NotMediaException("not a video or audio file (detected as " + refused.group(1)
						+ ", which is not an accepted media container)");
			}
			String reason = result.stderr().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").trim();
			reason = reason.replace("file:" + file.toAbsolutePath() + ": ", "").replace(file.toAbsolutePath() + ": ", "");
			throw new NotMediaException("not a media file ffprobe can read" + (reason.isEmpty() ? "" : ": " + reason));
		}
		return parse(result.stdout());
	}

	/**
	 * The time the media really spans: the demuxer reads every packet of the main stream (video,
	 * else audio) and copies it to nothing; ffmpeg's progress says how far the time stamps went.
	 * At most {@code upTo} (plus a second) is read. 0 when nothing could be measured.
	 */
	private double measure(Path file, MediaInfo header, Duration upTo) {
		int stream = header.hasVideo() ? header.video().index() : header.audio().index();
		List<String> command = new ArrayList<>(List.of(settings.ffmpeg(), "-hide_banner", "-nostdin", "-v", "error"));
		command.addAll(ContainerFormats.pinnedInput(header.format()));
		command.addAll(List.of("-t", String.valueOf(upTo.toSeconds() + 1), "-i", "file:" + file.toAbsolutePath(), "-map",
				"0:" + stream, "-c", "copy", "-f", "null", "-progress", "pipe:1", "-stats_period", "5", "-"));
		MediaTools.Result result = run(command, file, 4L * 1024 * 1024);
		double last = 0;
		for (String line : result.stdout().split("\n")) {
			if (line.startsWith("out_time_us=")) {
				try {
					last = Math.max(last, Long.parseLong(line.substring(12).trim()) / 1_000_000.0);
				}
				catch (NumberFormatException e) {
					// N/A before the first packet
				}
			}
		}
		if (header.hasVideo() && header.video().frameRate() > 0 && last > 0) {
			// The copy reports the last packet's start; the frame it starts lasts one frame more.
			last += 1 / header.video().frameRate();
		}
		return last;
	}

	MediaInfo parse(String output) {
		JsonNode root = json.readTree(output);
		JsonNode format = root.path("format");
		String formatName = format.path("format_name").asString("");
		String demuxer = formats.pin(formatName).orElseThrow(() -> new NotMediaException(
				"not a video or audio file (detected as " + (formatName.isEmpty() ? "unknown" : formatName) + ")"));
		MediaInfo.VideoStream video = null;
		MediaInfo.AudioStream audio = null;
		List<MediaInfo.AudioStream> audioStreams = new ArrayList<>();
		List<MediaInfo.SubtitleStream> subtitles = new ArrayList<>();
		boolean undecodable = false;
		double streamDuration = 0;
		for (JsonNode stream : root.path("streams")) {
			String type = stream.path("codec_type").asString("");
			String codec = stream.path("codec_name").asString("");
			boolean cover = stream.path("disposition").path("attached_pic").asInt(0) == 1;
			if (type.equals("video") && !cover) {
				if (codec.isEmpty() || codec.equals("none")) {
					undecodable = true;
					continue;
				}
				if (video == null && stream.path("width").asInt(0) > 0) {
					video = new MediaInfo.VideoStream(stream.path("index").asInt(), codec, stream.path("width").asInt(),
							stream.path("height").asInt(), rotation(stream), stream.path("pix_fmt").asString(""),
							frameRate(stream), interlaced(stream.path("field_order").asString("")),
							stream.path("bits_per_raw_sample").asInt(8),
							sampleAspect(stream.path("sample_aspect_ratio").asString("1:1")),
							stream.path("color_transfer").asString(""));
					streamDuration = Math.max(streamDuration, stream.path("duration").asDouble(0));
				}
			}
			else if (type.equals("subtitle") && MediaInfo.SubtitleStream.TEXT_CODECS.contains(codec)) {
				JsonNode tags = stream.path("tags");
				subtitles.add(new MediaInfo.SubtitleStream(stream.path("index").asInt(), codec,
						tags.has("language") ? tags.path("language").asString("") : null,
						tags.has("title") ? tags.path("title").asString("") : null));
			}
			else if (type.equals("audio")) {
				if (codec.isEmpty() || codec.equals("none")) {
					undecodable = true;
					continue;
				}
				JsonNode tags = stream.path("tags");
				MediaInfo.AudioStream found = new MediaInfo.AudioStream(stream.path("index").asInt(), codec,
						stream.path("channels").asInt(0), stream.path("sample_rate").asInt(0),
						tags.has("language") ? tags.path("language").asString("") : null,
						tags.has("title") ? tags.path("title").asString("")
								: tags.has("handler_name") ? tags.path("handler_name").asString("") : null);
				audioStreams.add(found);
				if (audio == null) {
					audio = found;
					streamDuration = Math.max(streamDuration, stream.path("duration").asDouble(0));
				}
			}
		}
		if (video == null && audio == null) {
			throw new NotMediaException(undecodable ? "the file's streams use a codec this server cannot decode"
					: "the file has no video or audio stream");
		}
		double duration = format.path("duration").asDouble(0);
		if (duration <= 0) {
			duration = streamDuration;
		}
		// The header's claim (possibly 0, or nonsense): measure() says what the media holds.
		return new MediaInfo(demuxer, Math.max(0, duration), video, audio, subtitles, audioStreams);
	}

	private static int rotation(JsonNode stream) {
		for (JsonNode side : stream.path("side_data_list")) {
			if (side.has("rotation")) {
				return side.path("rotation").asInt(0);
			}
		}
		return stream.path("tags").path("rotate").asInt(0);
	}

	private static double frameRate(JsonNode stream) {
		double avg = ratio(stream.path("avg_frame_rate").asString("0/0"));
		double real = ratio(stream.path("r_frame_rate").asString("0/0"));
		// avg_frame_rate can be nonsense from a coarse timebase (1000 fps in Matroska); r_frame_rate
		// can be a field rate. Take the smaller sane one.
		if (avg > 0 && avg <= 240 && (real <= 0 || avg <= real)) {
			return avg;
		}
		return real > 0 && real <= 240 ? real : 30;
	}

	private static double sampleAspect(String value) {
		double sar = ratio(value.replace(':', '/'));
		return sar > 0.1 && sar < 10 ? sar : 1;
	}

	private static double ratio(String value) {
		String[] parts = value.split("/");
		try {
			double num = Double.parseDouble(parts[0]);
			double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
			return den == 0 ? 0 : num / den;
		}
		catch (NumberFormatException e) {
			return 0;
		}
	}

	private static boolean interlaced(String fieldOrder) {
		return fieldOrder.equals("tt") || fieldOrder.equals("bb") || fieldOrder.equals("tb") || fieldOrder.equals("bt");
	}

	/** Runs a tool on the file in the sandbox ({@link MediaTools}); too long, or stdout beyond {@code maxOutput} bytes, refuses the file. */
	private MediaTools.Result run(List<String> command, Path file, long maxOutput) {
		MediaTools.Result result = MediaTools.run(sandbox, command, List.of(file), null, settings.probeTimeout(), Long.MAX_VALUE,
				maxOutput);
		if (result.stop() == MediaTools.Stop.TIME) {
			throw new NotMediaException("the file took longer than " + settings.probeTimeout().toSeconds() + " s to inspect");
		}
		if (result.stop() == MediaTools.Stop.STDOUT) {
			throw new NotMediaException("the file's description is larger than " + maxOutput
					+ " bytes; it is not a media file this server accepts");
		}
		return result;
	}
}
