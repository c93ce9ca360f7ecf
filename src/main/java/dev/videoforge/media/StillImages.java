package dev.videoforge.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pictures for posters: an image an owner uploaded, checked and redrawn as our own JPEG, and a
 * frame of our own rendition. An uploaded image is hostile like any upload: ffprobe may only pick
 * one of three still-image demuxers ({@link #IMAGE_DEMUXERS}; never {@code image2}, which would
 * read a sequence of other files, nor GIF, SVG or anything else), both tools refuse pictures over
 * a pixel limit before allocating them ({@code -max_pixels}), a run that reports any error (a
 * truncated file decodes "successfully" into a grey half) refuses the file, and everything runs
 * in the {@link Sandbox} through {@link MediaTools} under a time cap. The uploaded bytes are never
 * served: only the JPEG ffmpeg draws from the decoded picture is.
 */
@Component
public class StillImages {

	/** The only demuxers an uploaded image may be read with: JPEG, PNG and WebP, each a single still. */
	public static final List<String> IMAGE_DEMUXERS = List.of("jpeg_pipe", "png_pipe", "webp_pipe");

	private static final Set<String> CODECS = Set.of("mjpeg", "png", "webp");

	private static final long MAX_PICTURE_BYTES = 8L * 1024 * 1024;

	private final MediaTools tools;
	private final JsonMapper json = JsonMapper.builder().build();

	public StillImages(MediaTools tools) {
		this.tools = tools;
	}

	/** What an uploaded image is: the demuxer that read it (to pin) and its size. */
	public record ImageInfo(String demuxer, int width, int height) {
	}

	/**
	 * Checks that {@code file} is one JPEG, PNG or WebP picture of at most {@code maxPixels}.
	 *
	 * @throws NotMediaException with a sentence saying why it is not
	 */
	public ImageInfo probe(Path file, long maxPixels, Duration timeout) {
		List<String> command = ImageCommands.probe(tools.ffprobe(), file, maxPixels);
		MediaTools.Result result = tools.run(command, List.of(file), file.getParent(), timeout, Long.MAX_VALUE, 64 * 1024);
		if (!result.succeeded() || !result.stderr().isBlank()) {
			String why = result.stderr().contains("not on whitelist") ? "it is not a JPEG, PNG or WebP image"
					: "it is not an image this server can read (" + clean(result.reason(), file) + ")";
			throw new NotMediaException(why);
		}
		JsonNode root = json.readTree(result.stdout());
		String format = root.path("format").path("format_name").asString("");
		JsonNode streams = root.path("streams");
		if (!IMAGE_DEMUXERS.contains(format) || streams.size() != 1) {
			throw new NotMediaException("it is not a single JPEG, PNG or WebP image");
		}
		JsonNode stream = streams.get(0);
		int width = stream.path("width").asInt(0);
		int height = stream.path("height").asInt(0);
		if (!"video".equals(stream.path("codec_type").asString("")) || !CODECS.contains(stream.path("codec_name").asString(""))) {
			throw new NotMediaException("it is not a JPEG, PNG or WebP image");
		}
		// ffmpeg reports 0x0 for a picture its decoder refused to allocate (over -max_pixels).
		if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
			throw new NotMediaException("the picture is larger than " + maxPixels + " pixels, or its size cannot be read");
		}
		return new ImageInfo(format, width, height);
	}

	/**
	 * Draws the probed image as a baseline JPEG of exactly {@code width} x {@code height}, filling
	 * the frame and cropping what sticks out (as a poster must cover the player).
	 *
	 * @throws NotMediaException when the image does not decode cleanly
	 */
	public void toJpeg(Path image, ImageInfo info, int width, int height, long maxPixels, Path target, Duration timeout) {
		runPicture(ImageCommands.imageToJpeg(tools.ffmpeg(), image, info.demuxer(), width, height, maxPixels, target),
				List.of(image), target, timeout, true);
	}

	/**
	 * The frame at {@code seconds} of one of our own fMP4 HLS renditions, as a JPEG of
	 * {@code width} x {@code height}. ffmpeg 5.1 cannot seek in fMP4 HLS (input {@code -ss} yields
	 * no frame) and decoding from the start to a late time is slow, so the one segment that holds
	 * the time is joined to its init section into a small fragmented MP4 of our own, which is
	 * read with the {@code mov} demuxer pinned and decoded only from its start to the time.
	 *
	 * @throws NotMediaException when no frame came out
	 */
	public void frameAt(Path playlist, double seconds, int width, int height, Path target, Duration timeout) {
		Path work = target.getParent();
		Path clip = work.resolve("segment.mp4");
		double into;
		try {
			HlsSegment segment = HlsSegment.at(java.nio.file.Files.readString(playlist), seconds);
			try (var out = java.nio.file.Files.newOutputStream(clip)) {
				java.nio.file.Files.copy(playlist.resolveSibling(segment.init()), out);
				java.nio.file.Files.copy(playlist.resolveSibling(segment.uri()), out);
			}
			into = Math.max(0, seconds - segment.start());
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException("cannot read the rendition " + playlist, e);
		}
		// A time in the video's last instant (its length is the source's) can lie past the rendition's
		// last frame: then a little earlier, then the segment's first frame.
		NotMediaException failed = null;
		for (double at : new double[] { into, Math.max(0, into - 0.5), 0 }) {
			try {
				// Our own file: the demuxer's complaints when ffmpeg stops after one frame are no error.
				runPicture(ImageCommands.frameAt(tools.ffmpeg(), clip, at, width, height, target), List.of(clip), target, timeout,
						false);
				return;
			}
			catch (NotMediaException e) {
				failed = e;
			}
		}
		throw failed;
	}

	/** One segment of a media playlist: its init section, file, and start time. */
	record HlsSegment(String init, String uri, double start) {

		private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

		/** The segment holding {@code seconds} (the last one past the end). */
		static HlsSegment at(String playlist, double seconds) {
			String init = null;
			double start = 0;
			double duration = -1;
			HlsSegment last = null;
			for (String line : playlist.split("\\R")) {
				if (line.startsWith("#EXT-X-MAP:")) {
					var uri = java.util.regex.Pattern.compile("URI=\"([^\"]+)\"").matcher(line);
					init = uri.find() ? uri.group(1) : null;
				}
				else if (line.startsWith("#EXTINF:")) {
					duration = Double.parseDouble(line.substring(8).split(",")[0].trim());
				}
				else if (!line.isBlank() && !line.startsWith("#") && duration >= 0) {
					if (init == null || !NAME.matcher(init).matches() || !NAME.matcher(line.trim()).matches()) {
						throw new NotMediaException("not one of our own fMP4 playlists");
					}
					last = new HlsSegment(init, line.trim(), start);
					if (seconds < start + duration) {
						return last;
					}
					start += duration;
					duration = -1;
				}
			}
			if (last == null) {
				throw new NotMediaException("the playlist names no segment");
			}
			return last;
		}
	}

	/** Runs a command that draws one JPEG; with {@code silent}, any error ffmpeg reports refuses the picture. */
	private void runPicture(List<String> command, List<Path> readOnly, Path target, Duration timeout, boolean silent) {
		MediaTools.Result result = tools.run(command, readOnly, target.getParent(), timeout, MAX_PICTURE_BYTES, 64 * 1024);
		if (!result.succeeded() || (silent && !result.stderr().isBlank()) || !target.toFile().isFile() || target.toFile().length() == 0) {
			throw new NotMediaException("the picture could not be decoded (" + clean(result.reason(), target) + ")");
		}
	}

	private static String clean(String reason, Path file) {
		String text = reason.replace("file:" + file.toAbsolutePath() + ": ", "").replace(file.toAbsolutePath().toString(), "file")
				.replaceAll("\\[[\\w ]+ @ 0x[0-9a-f]+\\] ", "");
		return text.length() > 200 ? text.substring(0, 200) : text;
	}

	/** The commands, as data. */
	static final class ImageCommands {

		private ImageCommands() {
		}

		static List<String> probe(String ffprobe, Path file, long maxPixels) {
			return List.of(ffprobe, "-v", "error", "-max_pixels", String.valueOf(maxPixels), "-format_whitelist",
					String.join(",", IMAGE_DEMUXERS), "-protocol_whitelist", "file", "-print_format", "json", "-show_entries",
					"format=format_name:stream=codec_type,codec_name,width,height", "-i", "file:" + file.toAbsolutePath());
		}

		static List<String> imageToJpeg(String ffmpeg, Path image, String demuxer, int width, int height, long maxPixels,
				Path target) {
			if (!IMAGE_DEMUXERS.contains(demuxer)) {
				throw new IllegalArgumentException("not an image demuxer: " + demuxer);
			}
			List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-xerror",
					"-max_pixels", String.valueOf(maxPixels)));
			args.addAll(ContainerFormats.pinnedInput(demuxer));
			args.addAll(List.of("-i", "file:" + image.toAbsolutePath(), "-map", "0:v:0", "-frames:v", "1", "-vf",
					"scale=" + width + ":" + height + ":force_original_aspect_ratio=increase,crop=" + width + ":" + height
							+ ",setsar=1,format=yuvj420p",
					"-map_metadata", "-1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1",
					"file:" + target.toAbsolutePath()));
			return args;
		}

		/** The frame {@code seconds} into a fragmented MP4 we made (output seeking: decoded from its start). */
		static List<String> frameAt(String ffmpeg, Path clip, double seconds, int width, int height, Path target) {
			List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error"));
			args.addAll(ContainerFormats.pinnedInput("mov"));
			args.addAll(List.of("-i", "file:" + clip.toAbsolutePath(), "-ss", String.format(Locale.ROOT, "%.3f", seconds),
					"-map", "0:v:0", "-frames:v", "1", "-vf",
					"scale=" + width + ":" + height + ",setsar=1,format=yuvj420p", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2",
					"-update", "1", "file:" + target.toAbsolutePath()));
			return args;
		}
	}
}
