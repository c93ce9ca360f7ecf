package dev.videoforge.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs ffprobe on a file and says what it is, or why it is not playable media. */
@Component
public class MediaProbe {

	/** Pipe readers block: their own threads, never the common pool (one thread on a 2-core machine). */
	private static final java.util.concurrent.ExecutorService DRAINERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

	/** Formats ffprobe recognises that are still pictures or text, never something to play. */
	private static final Set<String> NOT_PLAYABLE_FORMATS = Set.of("image2", "tty", "txt", "lavfi", "bin", "ansi",
			"subviewer", "srt", "webvtt", "ass", "mpl2", "microdvd");

	private final MediaSettings settings;
	private final JsonMapper json = JsonMapper.builder().build();

	public MediaProbe(MediaSettings settings) {
		this.settings = settings;
	}

	/**
	 * Probes the file.
	 *
	 * @throws NotMediaException when it is not playable media, with a sentence that says why
	 */
	public MediaInfo probe(Path file) {
		List<String> command = List.of(settings.ffprobe(), "-v", "error", "-print_format", "json", "-show_format",
				"-show_streams", file.toAbsolutePath().toString());
		ProcessResult result = run(command);
		if (result.exitCode() != 0) {
			String reason = result.stderr().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").trim();
			reason = reason.replace(file.toAbsolutePath().toString() + ": ", "");
			throw new NotMediaException("not a media file ffprobe can read" + (reason.isEmpty() ? "" : ": " + reason));
		}
		return parse(result.stdout());
	}

	MediaInfo parse(String output) {
		JsonNode root = json.readTree(output);
		JsonNode format = root.path("format");
		String formatName = format.path("format_name").asString("");
		if (formatName.isEmpty() || formatName.endsWith("_pipe") || NOT_PLAYABLE_FORMATS.contains(formatName)) {
			throw new NotMediaException("not a video or audio file (detected as " + (formatName.isEmpty() ? "unknown" : formatName) + ")");
		}
		MediaInfo.VideoStream video = null;
		MediaInfo.AudioStream audio = null;
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
			else if (type.equals("audio")) {
				if (codec.isEmpty() || codec.equals("none")) {
					undecodable = true;
					continue;
				}
				if (audio == null) {
					audio = new MediaInfo.AudioStream(stream.path("index").asInt(), codec, stream.path("channels").asInt(0),
							stream.path("sample_rate").asInt(0));
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
		if (duration <= 0) {
			throw new NotMediaException("the file has no playable duration");
		}
		return new MediaInfo(formatName, duration, video, audio);
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

	private ProcessResult run(List<String> command) {
		Process process = null;
		try {
			process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
			Process started = process;
			CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(started.getInputStream()), DRAINERS);
			CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(started.getErrorStream()), DRAINERS);
			if (!process.waitFor(settings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new NotMediaException("the file took longer than " + settings.probeTimeout().toSeconds()
						+ " s to inspect");
			}
			return new ProcessResult(process.exitValue(), out.join(), err.join());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot run " + settings.ffprobe() + " (is ffmpeg installed?)", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while probing", e);
		}
		finally {
			if (process != null && process.isAlive()) {
				process.destroyForcibly();
			}
		}
	}

	private static String drain(InputStream in) {
		try (in) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			in.transferTo(buffer);
			return buffer.toString(StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "";
		}
	}

	private record ProcessResult(int exitCode, String stdout, String stderr) {
	}
}
