package dev.videoforge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The one check of what the product made, by decoding it as a player would: every frame of every
 * stream is decoded (ffprobe {@code -show_frames}) and counted, the duration is where the last
 * decoded frame ends, audio is counted in samples, the picture size is the displayed one (sample
 * aspect ratio and rotation applied), and every segment a playlist names holds bytes that are not
 * all zeros. Headers (a container's duration, a playlist's EXTINF) are never taken at their word.
 */
public final class Renditions {

	/** Follows redirects as players do (delivery by redirect answers media files with a 302). */
	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NORMAL).build();

	private Renditions() {
	}

	/** One decoded stream: frames (or audio frames) and samples that came out, and the time they span. */
	public record Track(int index, String codec, int frames, long samples, int sampleRate, double start, double end,
			double frameDuration) {

		public double seconds() {
			return Math.max(0, end - start);
		}

		/** Audio: what the samples last, which no header can claim. */
		public double sampleSeconds() {
			return sampleRate > 0 ? (double) samples / sampleRate : 0;
		}
	}

	/**
	 * What a decoder got out of an input: its main video and audio track (the one with the most
	 * frames; null when none decoded), the displayed size of the picture, ffmpeg's error lines.
	 */
	public record Decoded(String input, Track video, Track audio, int displayWidth, int displayHeight, int codedWidth,
			int codedHeight, String sampleAspectRatio, boolean rotationFlag, double frameRate, List<Track> tracks,
			String errors) {

		/** Where the last decoded frame of any track ends, from the first frame's start. */
		public double seconds() {
			double start = Double.MAX_VALUE;
			double end = 0;
			for (Track t : List.of(video == null ? EMPTY : video, audio == null ? EMPTY : audio)) {
				if (t.frames() > 0) {
					start = Math.min(start, t.start());
					end = Math.max(end, t.end());
				}
			}
			return start == Double.MAX_VALUE ? 0 : end - start;
		}

		public boolean hasVideo() {
			return video != null && video.frames() > 0;
		}

		public boolean hasAudio() {
			return audio != null && audio.samples() > 0;
		}

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT, "%s: %.3f s, video %s, audio %s, display %dx%d%s", input, seconds(),
					video, audio, displayWidth, displayHeight, errors.isBlank() ? "" : ", errors: " + errors.strip());
		}
	}

	private static final Track EMPTY = new Track(-1, "", 0, 0, 0, 0, 0, 0);

	/** Decodes every frame of a file or URL (a playlist: every segment) and measures what came out. */
	public static Decoded decode(String input) throws IOException, InterruptedException {
		JsonNode probe = Media.probe(input);
		Media.Run frames = Media.run(List.of("ffprobe", "-v", "error", "-show_entries",
				"frame=media_type,stream_index,best_effort_timestamp_time,pkt_duration_time,nb_samples,sample_rate",
				"-of", "compact=p=0", input), 300);
		Map<Integer, double[]> spans = new HashMap<>();
		Map<Integer, long[]> counts = new HashMap<>();
		Map<Integer, Double> frameDurations = new HashMap<>();
		for (String line : frames.stdout().split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			Map<String, String> f = new HashMap<>();
			for (String pair : line.split("\\|")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					f.put(pair.substring(0, eq), pair.substring(eq + 1));
				}
			}
			int stream = Integer.parseInt(f.getOrDefault("stream_index", "-1"));
			double pts = number(f.get("best_effort_timestamp_time"), Double.NaN);
			double duration = number(f.get("pkt_duration_time"), 0);
			long[] c = counts.computeIfAbsent(stream, k -> new long[3]);
			c[0]++;
			c[1] += (long) number(f.get("nb_samples"), 0);
			c[2] = (long) number(f.get("sample_rate"), c[2]);
			if (duration > 0) {
				frameDurations.putIfAbsent(stream, duration);
			}
			if (!Double.isNaN(pts)) {
				double[] span = spans.computeIfAbsent(stream, k -> new double[] { Double.MAX_VALUE, -Double.MAX_VALUE });
				span[0] = Math.min(span[0], pts);
				span[1] = Math.max(span[1], pts + duration);
			}
		}
		List<Track> tracks = new ArrayList<>();
		Track video = null;
		Track audio = null;
		JsonNode videoStream = null;
		for (JsonNode stream : probe.path("streams")) {
			int index = stream.path("index").asInt();
			long[] c = counts.getOrDefault(index, new long[3]);
			double[] span = spans.getOrDefault(index, new double[] { 0, 0 });
			Track track = new Track(index, stream.path("codec_name").asString(""), (int) c[0], c[1],
					(int) (c[2] > 0 ? c[2] : stream.path("sample_rate").asInt(0)), c[0] == 0 ? 0 : span[0],
					c[0] == 0 ? 0 : span[1], frameDurations.getOrDefault(index, 0.0));
			tracks.add(track);
			String type = stream.path("codec_type").asString("");
			boolean attachedPicture = stream.path("disposition").path("attached_pic").asInt() == 1;
			if (type.equals("video") && !attachedPicture && (video == null || track.frames() > video.frames())) {
				video = track;
				videoStream = stream;
			}
			else if (type.equals("audio") && (audio == null || track.samples() > audio.samples())) {
				audio = track;
			}
		}
		int width = 0;
		int height = 0;
		int codedWidth = 0;
		int codedHeight = 0;
		String sar = "";
		boolean rotationFlag = false;
		double frameRate = 0;
		if (videoStream != null) {
			codedWidth = videoStream.path("width").asInt();
			codedHeight = videoStream.path("height").asInt();
			sar = videoStream.path("sample_aspect_ratio").asString("1:1");
			double sarValue = ratio(sar, 1);
			width = (int) Math.round(codedWidth * (sarValue > 0 ? sarValue : 1));
			height = codedHeight;
			int rotation = 0;
			for (JsonNode side : videoStream.path("side_data_list")) {
				if (side.has("rotation")) {
					rotation = side.path("rotation").asInt();
					rotationFlag = true;
				}
			}
			if (Math.floorMod(rotation, 180) == 90) {
				int w = width;
				width = height;
				height = w;
			}
			frameRate = ratio(videoStream.path("avg_frame_rate").asString("0/1"), 0);
			if (frameRate <= 0 && video.frameDuration() > 0) {
				// A rendition of one or two frames has no average rate: a frame's own duration gives it.
				frameRate = 1 / video.frameDuration();
			}
		}
		return new Decoded(input, video, audio, width, height, codedWidth, codedHeight, sar, rotationFlag, frameRate,
				tracks, frames.exitCode() == 0 ? frames.stderr() : frames.stderr() + "\n(ffprobe exit code " + frames.exitCode() + ")");
	}

	/**
	 * A rendition as a viewer gets it at {@code url}, against the source it was made from: its
	 * segments hold data, it decodes without an error, and it is either a picture rendition
	 * ({@code pictures}: the source's pictures and no sound, which is in the audio renditions) or
	 * an audio rendition (sound and no pictures). Frames, samples and displayed shape match the
	 * source's; an audio rendition of a source with pictures may be padded with silence to the
	 * media's length.
	 */
	public static Decoded assertRendition(String url, Decoded source, boolean pictures) throws IOException, InterruptedException {
		assertSegmentsHoldData(url);
		Decoded out = decode(url);
		assertThat(out.errors()).as("decoder errors in %s", out).isBlank();
		assertThat(out.hasVideo()).as("pictures in %s (source %s)", out, source).isEqualTo(pictures && source.hasVideo());
		assertThat(out.hasAudio()).as("sound in %s (source %s)", out, source).isEqualTo(!pictures && source.hasAudio());
		double tolerance = tolerance(source, out);
		if (out.hasVideo()) {
			double expected = source.video().seconds();
			assertThat(out.seconds()).as("decoded duration of %s vs the source's pictures, %.3f s", out, expected)
					.isBetween(expected - tolerance, expected + tolerance);
			double fps = out.frameRate();
			assertThat(fps).as("frame rate of %s", out).isPositive();
			// One constant frame rate: the frames decoded are the source's duration at that rate.
			long frames = Math.max(1, Math.round(source.video().seconds() * fps));
			long slack = Math.max(2, Math.round(tolerance * fps));
			assertThat((long) out.video().frames()).as("decoded frames of %s: %.3f s of source at %.3f fps", out,
					source.video().seconds(), fps).isBetween(Math.max(1, frames - slack), frames + slack);
			assertThat(out.rotationFlag()).as("%s is upright without a rotation flag", out).isFalse();
			assertThat(out.sampleAspectRatio()).as("square pixels in %s", out).isIn("1:1", "0:1", "");
			assertThat(Math.min(out.displayWidth(), out.displayHeight())).as("%s not upscaled from %s", out, source)
					.isLessThanOrEqualTo(Math.min(source.displayWidth(), source.displayHeight()));
			assertThat(out.displayWidth() >= out.displayHeight()).as("orientation of %s vs %s", out, source)
					.isEqualTo(source.displayWidth() >= source.displayHeight());
			assertThat((double) out.displayWidth() / out.displayHeight()).as("displayed shape of %s vs %s", out, source)
					.isCloseTo((double) source.displayWidth() / source.displayHeight(),
							org.assertj.core.data.Percentage.withPercentage(3));
		}
		if (out.hasAudio()) {
			double sound = source.audio().sampleSeconds() > 0 ? source.audio().sampleSeconds() : source.audio().seconds();
			// Beside pictures, a track is padded with silence to the media's length: the header's
			// figure when it is within MediaProbe's margin (0.5 s or 5 %) of what the media holds.
			double longest = source.hasVideo() ? Math.max(sound, source.seconds() + Math.max(0.5, 0.05 * source.seconds()))
					: sound;
			assertThat(out.audio().sampleSeconds()).as("decoded sound of %s (samples) vs the source's %.3f s", out, sound)
					.isBetween(sound - tolerance, longest + tolerance);
			assertThat(out.seconds()).as("decoded duration of %s vs the source's sound, %.3f s", out, sound)
					.isBetween(sound - tolerance, longest + tolerance);
		}
		return out;
	}

	/**
	 * How far a rendition's decoded length may be from its source's: two frames of the output
	 * (the fps filter rounds the ends to its grid), an AAC frame of encoder delay on each side, and
	 * 2 % for long sources. A 62 ms clip is allowed about 0.13 s, never "anything".
	 */
	static double tolerance(Decoded source, Decoded out) {
		double frame = out.frameRate() > 0 ? 1 / out.frameRate() : source.frameRate() > 0 ? 1 / source.frameRate() : 0.04;
		return 2 * frame + 2 * 1024 / 48000.0 + 0.02 * source.seconds();
	}

	/**
	 * Every segment (and init section) a media playlist names can be fetched and holds bytes that
	 * are not all zeros; the playlist is complete (ENDLIST) and names at least one segment.
	 */
	public static void assertSegmentsHoldData(String playlistUrl) throws IOException, InterruptedException {
		String playlist = new String(fetch(playlistUrl), StandardCharsets.UTF_8);
		assertThat(playlist).as("media playlist %s", playlistUrl).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
		List<String> parts = new ArrayList<>();
		int segments = 0;
		for (String line : playlist.split("\n")) {
			line = line.strip();
			if (line.startsWith("#EXT-X-MAP:URI=\"")) {
				parts.add(line.substring(16, line.indexOf('"', 16)));
			}
			else if (!line.isEmpty() && !line.startsWith("#")) {
				parts.add(line);
				segments++;
			}
		}
		assertThat(segments).as("segments named by %s", playlistUrl).isPositive();
		for (String part : parts) {
			String url = resolve(playlistUrl, part);
			byte[] bytes = fetch(url);
			assertThat(bytes.length).as("bytes of %s", url).isPositive();
			boolean allZero = true;
			for (byte b : bytes) {
				if (b != 0) {
					allZero = false;
					break;
				}
			}
			assertThat(allZero).as("%s is %d zero bytes", url, bytes.length).isFalse();
		}
	}

	/**
	 * What a crash must not leave behind: every quality decodes through the server (checked against
	 * the stored original when it is still there), and the files stored for the video are exactly
	 * the ones its playlists name (plus poster and storyboard): nothing half-written, no second set.
	 */
	public static void assertOneSetThatPlays(ApiClient owner, Path data, String id) throws Exception {
		Path renditions = data.resolve("blobs/renditions").resolve(id);
		Path original = data.resolve("blobs/originals").resolve(id);
		Decoded source = Files.exists(original) ? decode(original.toString()) : null;
		Set<String> referenced = new HashSet<>(Set.of("master.m3u8", "thumbnail.jpg", "storyboard.jpg", "storyboard.vtt"));
		JsonNode listing = ApiClient.json(owner.get("/api/stream/" + id + "/qualities"));
		JsonNode qualities = listing.path("qualities");
		JsonNode video = ApiClient.json(owner.get("/api/gallery/videos/" + id));
		assertThat(qualities.size()).as("qualities of %s", id).isEqualTo(video.path("qualities").size()).isPositive();
		List<JsonNode> renditionsToCheck = new ArrayList<>();
		qualities.forEach(renditionsToCheck::add);
		Set<String> listed = new HashSet<>();
		qualities.forEach(q -> listed.add(q.path("name").asString()));
		String master = listing.path("masterUrl").asString();
		for (JsonNode track : video.path("audioTracks")) {
			// The audio renditions of a video with pictures are not qualities: the master names them.
			String name = track.path("name").asString();
			if (!listed.contains(name)) {
				renditionsToCheck.add(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", name)
						.put("url", master.replace("master.m3u8", name + "/index.m3u8")).put("audioTrack", true));
			}
		}
		List<Decoded> decoded = new ArrayList<>();
		for (JsonNode quality : renditionsToCheck) {
			String name = quality.path("name").asString();
			referenced.add(name + "/index.m3u8");
			for (String line : Files.readAllLines(renditions.resolve(name).resolve("index.m3u8"))) {
				if (line.startsWith("#EXT-X-MAP:URI=\"")) {
					referenced.add(name + "/" + line.substring(16, line.length() - 1));
				}
				else if (!line.startsWith("#") && !line.isBlank()) {
					referenced.add(name + "/" + line);
				}
			}
			String url = owner.base() + quality.path("url").asString();
			if (source != null) {
				Decoded out = assertRendition(url, source, quality.path("width").asInt(0) > 0);
				if (!quality.path("audioTrack").asBoolean(false)) {
					decoded.add(out);
				}
			}
			else {
				assertSegmentsHoldData(url);
				Decoded out = decode(url);
				assertThat(out.errors()).as("decoder errors in %s", out).isBlank();
				assertThat(out.hasVideo() || out.hasAudio()).as("%s decodes to pictures or sound", out).isTrue();
				if (!quality.path("audioTrack").asBoolean(false)) {
					decoded.add(out);
				}
			}
		}
		// The source's own pictures, played while it was made, stay a while after READY
		// (original-kept-after-ready), out of the master: a whole set of their own too.
		Path kept = renditions.resolve("original").resolve("index.m3u8");
		if (Files.exists(kept)) {
			referenced.add("original/index.m3u8");
			for (String line : Files.readAllLines(kept)) {
				if (line.startsWith("#EXT-X-MAP:URI=\"")) {
					referenced.add("original/" + line.substring(16, line.length() - 1));
				}
				else if (!line.startsWith("#") && !line.isBlank()) {
					referenced.add("original/" + line);
				}
			}
		}
		for (Decoded quality : decoded) {
			assertThat(quality.seconds()).as("%s lasts as long as %s", quality, decoded.get(0))
					.isCloseTo(decoded.get(0).seconds(), org.assertj.core.data.Offset.offset(0.1));
		}
		try (Stream<Path> files = Files.walk(renditions)) {
			Set<String> stored = new HashSet<>(
					files.filter(Files::isRegularFile).map(p -> renditions.relativize(p).toString()).toList());
			assertThat(stored).as("the files of %s are one set, every one named by its playlists", id).isEqualTo(referenced);
		}
	}

	private static String resolve(String base, String relative) {
		if (base.startsWith("http:") || base.startsWith("https:")) {
			return URI.create(base).resolve(relative).toString();
		}
		return Path.of(base.startsWith("file:") ? base.substring(5) : base).resolveSibling(relative).toString();
	}

	private static byte[] fetch(String url) throws IOException, InterruptedException {
		if (url.startsWith("http:") || url.startsWith("https:")) {
			HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET()
					.build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
			return response.body();
		}
		return Files.readAllBytes(Path.of(url.startsWith("file:") ? url.substring(5) : url));
	}

	private static double number(String value, double otherwise) {
		if (value == null || value.isEmpty() || value.equals("N/A")) {
			return otherwise;
		}
		return Double.parseDouble(value);
	}

	private static double ratio(String value, double otherwise) {
		int colon = value.indexOf(value.contains(":") ? ':' : '/');
		if (colon < 0) {
			return otherwise;
		}
		double den = Double.parseDouble(value.substring(colon + 1));
		return den == 0 ? otherwise : Double.parseDouble(value.substring(0, colon)) / den;
	}
}
