package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.media.MediaInfo;
import dev.videoforge.media.MediaProbe;
import dev.videoforge.media.MediaTools;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.NotMediaException;
import dev.videoforge.media.Sandbox;
import dev.videoforge.storage.BlobNotFoundException;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one video: fetch the original once, probe, plan, run the one ffmpeg, check what
 * came out, write the master playlist and storyboard cues, and store it all under
 * {@code renditions/<id>/} (playlists last, so no reader sees a playlist before its segments).
 */
class Transcoder {

	private static final Logger log = LoggerFactory.getLogger(Transcoder.class);

	/** What a successful attempt made. */
	record Output(double durationSeconds, Integer width, Integer height, List<Rendition> renditions,
			boolean hasThumbnail, Timings timings) {
	}

	record Timings(long fetchMillis, long ffmpegMillis, long storeMillis) {
	}

	private final BlobStore blobs;
	private final MediaProbe probe;
	private final MediaSettings media;
	private final TranscodeSettings settings;
	private final LadderPlanner planner;
	private final Sandbox sandbox;
	private final Duration maxDuration;
	/** Extracts the source's text subtitles after the renditions are stored; null: none are extracted. */
	private final EmbeddedCaptions captions;
	/** Marks videos playable when their first segments are published early; null: nothing is published before the end. */
	private final VideoCatalog catalog;

	Transcoder(BlobStore blobs, MediaProbe probe, MediaSettings media, TranscodeSettings settings, Sandbox sandbox,
			Duration maxDuration) {
		this(blobs, probe, media, settings, sandbox, maxDuration, null, null);
	}

	Transcoder(BlobStore blobs, MediaProbe probe, MediaSettings media, TranscodeSettings settings, Sandbox sandbox,
			Duration maxDuration, EmbeddedCaptions captions, VideoCatalog catalog) {
		this.captions = captions;
		this.catalog = catalog;
		this.blobs = blobs;
		this.probe = probe;
		this.media = media;
		this.settings = settings;
		this.planner = new LadderPlanner(settings);
		this.sandbox = sandbox;
		this.maxDuration = maxDuration;
	}

	/** The original fetched and measured, and the plan for it: what any way of transcoding it starts from. */
	record Prepared(Path source, MediaInfo info, FfmpegCommand.Input input, Plan plan, double limitSeconds, long fetchMillis) {
	}

	Prepared prepare(String videoId, Path work) throws TranscodeFailure, IOException, InterruptedException {
		long t0 = System.nanoTime();
		Path source = fetch(videoId, work);
		long t1 = System.nanoTime();
		MediaInfo info;
		try {
			// Detected again among the allowed containers only, and measured: the same bytes give the
			// same demuxer, which every run below is pinned to.
			info = probe.probe(source, maxDuration);
		}
		catch (NotMediaException e) {
			throw TranscodeFailure.permanent(TranscodeFailure.NOT_MEDIA, e.getMessage());
		}
		if (info.durationSeconds() > maxDuration.toSeconds() + 1) {
			throw TranscodeFailure.permanent(TranscodeFailure.TOO_LONG, String.format(
					"the media lasts %.0f s; the maximum is %d s", info.durationSeconds(), maxDuration.toSeconds()));
		}
		// ffmpeg reads no further than what the media was measured to hold, with a margin.
		double limit = Math.min(info.durationSeconds() * 1.02 + 1, maxDuration.toSeconds() + 1.0);
		FfmpegCommand.Input input = new FfmpegCommand.Input(source, info.format(), limit);
		Plan plan = planner.plan(info);
		return new Prepared(source, info, input, plan, limit, (t1 - t0) / 1_000_000);
	}

	/** The single pass: one ffmpeg makes every rendition, published as it goes. */
	Output transcode(String videoId, Prepared prepared, Path work, Path log, DoubleConsumer progress, BooleanSupplier keepGoing)
			throws TranscodeFailure, IOException, InterruptedException {
		long t1 = System.nanoTime();
		long t0 = t1 - prepared.fetchMillis() * 1_000_000;
		Path source = prepared.source();
		MediaInfo info = prepared.info();
		FfmpegCommand.Input input = prepared.input();
		Plan plan = prepared.plan();
		double limit = prepared.limitSeconds();
		Path out = work.resolve("out");
		Files.createDirectories(out);
		Files.createDirectories(FfmpegCommand.thumbnails(out));
		List<String> command = sandboxed(FfmpegCommand.build(media.ffmpeg(), plan, input, out, settings.preset(),
				settings.segmentSeconds(), settings.audioBitrate()), source, work);
		// A redelivered job may find a partial set from a worker that died: start from nothing.
		blobs.deletePrefix(VideoFiles.renditions(videoId));
		Plan.Quality best = plan.audioOnly() ? null : plan.qualities().get(0);
		EarlyPublisher publisher = catalog == null ? null
				: publisher(videoId, plan, out, info.durationSeconds(), best == null ? null : best.width(),
						best == null ? null : best.height());
		double[] done = { 0 };
		DoubleConsumer tracked = fraction -> {
			done[0] = fraction;
			progress.accept(fraction);
		};
		if (publisher != null) {
			publisher.start(() -> done[0] * info.durationSeconds(), keepGoing);
		}
		FfmpegRunner.Result result;
		try {
			result = FfmpegRunner.run(command, log, info.durationSeconds(), plan.expectedFrames(), tracked, keepGoing,
					settings.stallTimeout(), settings.timeout(), work, maxOutputBytes(plan, limit));
		}
		finally {
			if (publisher != null) {
				publisher.stop();
			}
		}
		if (!keepGoing.getAsBoolean()) {
			throw new InterruptedException("lease lost");
		}
		if (!result.succeeded()) {
			throw TranscodeFailure.permanent(result.killedBecause() != null ? TranscodeFailure.TOO_SLOW
					: TranscodeFailure.UNDECODABLE, describe(result));
		}
		long t2 = System.nanoTime();

		List<HlsOutput.Measured> pictures = new ArrayList<>();
		for (Plan.Quality quality : plan.qualities()) {
			pictures.add(HlsOutput.finishAndMeasure(out.resolve(quality.name()), quality));
		}
		List<HlsOutput.Measured> sound = new ArrayList<>();
		for (Plan.AudioTrack track : plan.audioTracks()) {
			sound.add(HlsOutput.finishAndMeasure(out.resolve(track.name()), track));
		}
		// Pictures first: the first rendition is the one captions follow, and the top quality.
		List<HlsOutput.Measured> measured = new ArrayList<>(pictures);
		measured.addAll(sound);
		double expected = Math.min(info.durationSeconds(), limit);
		checkComplete(measured, expected, plan.fps());
		for (HlsOutput.Measured m : measured) {
			verifyDecodes(m, out.resolve(m.name()).resolve(VideoFiles.PLAYLIST), work, expected);
		}

		Map<String, String> codecs = HlsOutput.codecsFromFfmpegMaster(out.resolve(VideoFiles.MASTER));
		Files.writeString(out.resolve(VideoFiles.MASTER), HlsOutput.master(pictures, sound, codecs, plan.fps()));
		boolean poster = false;
		if (!plan.audioOnly()) {
			Plan.Poster p = plan.pictures().poster();
			poster = ensurePicture(plan, input, work, p.width(), p.height(), out.resolve(VideoFiles.POSTER));
			Plan.Storyboard storyboard = plan.pictures().storyboard();
			tile(storyboard, FfmpegCommand.thumbnails(out), out.resolve(VideoFiles.STORYBOARD), work);
			if (!Files.exists(out.resolve(VideoFiles.STORYBOARD))) {
				// Fewer frames came out than planned (a very short clip): one thumbnail for the whole video.
				storyboard = new Plan.Storyboard(Math.max(info.durationSeconds(), 0.001), 1, 1, 1, storyboard.width(),
						storyboard.height());
			}
			if (ensurePicture(plan, input, work, storyboard.width(), storyboard.height(), out.resolve(VideoFiles.STORYBOARD))) {
				Files.writeString(out.resolve(VideoFiles.STORYBOARD_CUES),
						HlsOutput.storyboardVtt(storyboard, info.durationSeconds(), VideoFiles.STORYBOARD));
			}
		}
		if (!keepGoing.getAsBoolean()) {
			// Another worker owns the job now: its files are the ones to keep.
			throw new InterruptedException("lease lost");
		}
		store(videoId, out, publisher == null ? java.util.Set.of() : publisher.uploaded());
		if (captions != null) {
			captions.extract(videoId, info, input, measured.get(0).name(), work);
		}
		long t3 = System.nanoTime();

		List<Rendition> renditions = measured.stream().map(Transcoder::rendition).toList();
		Plan.Quality top = plan.audioOnly() ? null : plan.qualities().get(0);
		return new Output(info.durationSeconds(), top == null ? null : top.width(), top == null ? null : top.height(),
				renditions, poster, new Timings((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000));
	}

	/** The original, read in place when the store is local, else downloaded once. */
	Path fetch(String videoId, Path work) throws IOException, TranscodeFailure {
		String key = VideoFiles.original(videoId);
		var local = blobs.localPath(key);
		if (local.isPresent()) {
			return local.get();
		}
		Path target = work.resolve("source");
		try {
			blobs.download(key, target);
		}
		catch (BlobNotFoundException e) {
			throw TranscodeFailure.permanent(TranscodeFailure.MISSING, "the uploaded original is missing from storage");
		}
		return target;
	}

	/**
	 * A decoder that gave up part-way can still exit 0: every rendition must last as long as the
	 * media, short by at most a tenth plus half a second, and never by more than three quarters of
	 * the media (under 0.8 s the tenth and half a second would be all of it). A very short source
	 * is checked too: a rendition of no length, or of one frame of the 0.34 s 8K clip's eight, is
	 * not READY. The three quarters leave room for what the playlist's lengths cannot see: they
	 * follow the pictures, and a 0.23 s WMV holds one picture beside its 0.2 s of sound.
	 */
	static void checkComplete(List<HlsOutput.Measured> measured, double expected, double fps) throws TranscodeFailure {
		for (HlsOutput.Measured m : measured) {
			if (m.segments() == 0) {
				throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE,
						"ffmpeg produced no " + m.name() + " segments; the file could not be decoded");
			}
			if (m.durationSeconds() < minimumLength(expected, m.quality() == null || fps <= 0 ? AAC_FRAME_SECONDS : 1 / fps)) {
				throw TranscodeFailure.permanent(TranscodeFailure.DAMAGED, String.format(
						"the %s rendition lasts %.2f s of the media's %.2f s; the file is damaged after that point",
						m.name(), m.durationSeconds(), expected));
			}
		}
	}

	/** One AAC frame at the renditions' 48 kHz: the shortest sound a rendition can hold. */
	private static final double AAC_FRAME_SECONDS = 1024 / 48000.0;

	/** The shortest complete rendition of media lasting {@code expected} s, made of frames of {@code frame} s. */
	static double minimumLength(double expected, double frame) {
		double shortBy = Math.min(expected * 0.1 + 0.5, expected * 0.75);
		return Math.max(Math.min(frame, expected) * 0.5, expected - shortBy);
	}

	/**
	 * The rendition's pictures (or sound) decode: at least one frame comes out, and no decoder
	 * error; sound, decoded whole, lasts as long as the media ({@link #minimumLength}).
	 */
	void verifyDecodes(HlsOutput.Measured rendition, Path playlist, Path work, double expected)
			throws TranscodeFailure, IOException, InterruptedException {
		boolean video = rendition.quality() != null;
		List<String> command = sandboxed(FfmpegCommand.verify(media.ffmpeg(), playlist, video), null, work);
		FfmpegRunner.Result result = FfmpegRunner.run(command, work.resolve("verify-" + rendition.name() + ".log"), 0, 0,
				fraction -> {
				}, () -> true, settings.stallTimeout(), settings.timeout());
		if (!result.succeeded()) {
			throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE,
					"the " + rendition.name() + " rendition does not decode: " + describe(result));
		}
		if (video && result.frames() == 0) {
			throw TranscodeFailure.permanent(TranscodeFailure.NO_PICTURE,
					"the " + rendition.name() + " rendition holds no picture");
		}
		if (!video && result.outTimeSeconds() <= 0) {
			throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE, "the " + rendition.name() + " rendition holds no sound");
		}
		if (!video && result.outTimeSeconds() < minimumLength(expected, AAC_FRAME_SECONDS)) {
			throw TranscodeFailure.permanent(TranscodeFailure.DAMAGED, String.format(
					"the %s rendition decodes to %.2f s of sound of the media's %.2f s; the file is damaged after that point",
					rendition.name(), result.outTimeSeconds(), expected));
		}
	}

	/**
	 * What the renditions may weigh: twice every quality's peak bitrate and every audio track's for
	 * the media's length, plus room for pictures. x264 keeps to its rate limits, so only a runaway
	 * gets near this.
	 */
	long maxOutputBytes(Plan plan, double seconds) {
		long kbps = 2L * settings.audioBitrate() * plan.audioTracks().size();
		for (Plan.Quality quality : plan.qualities()) {
			kbps += 2L * quality.videoKbps() * 11 / 10;
		}
		return (long) (kbps * 1000 / 8 * Math.max(1, seconds)) + 256L * 1024 * 1024;
	}

	/** The command in the sandbox: the source read-only, the job's folder writable, nothing else. */
	List<String> sandboxed(List<String> command, Path source, Path work) {
		return sandbox.wrap(command, source == null || source.startsWith(work) ? List.of() : List.of(source), List.of(work));
	}

	/** The storyboard sprite from the thumbnails ffmpeg wrote one by one; they are removed after. */
	void tile(Plan.Storyboard storyboard, Path thumbnails, Path sprite, Path work) throws IOException, InterruptedException {
		List<Path> pictures;
		try (Stream<Path> list = Files.list(thumbnails)) {
			pictures = list.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
		}
		if (pictures.size() == 1 && storyboard.count() == 1) {
			Files.move(pictures.get(0), sprite, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		else if (pictures.size() > 1) {
			runHelper(FfmpegCommand.sprite(media.ffmpeg(), storyboard, thumbnails, sprite), null, work);
		}
		try (Stream<Path> list = Files.list(thumbnails)) {
			for (Path picture : list.toList()) {
				Files.deleteIfExists(picture);
			}
		}
		Files.deleteIfExists(thumbnails);
	}

	/** Makes sure the picture exists, from the first frame when the main run did not make it. */
	private boolean ensurePicture(Plan plan, FfmpegCommand.Input input, Path work, int width, int height, Path picture)
			throws IOException, InterruptedException {
		if (Files.exists(picture) && Files.size(picture) > 0) {
			return true;
		}
		runHelper(FfmpegCommand.firstFrame(media.ffmpeg(), plan, input, width, height, picture), input.path(), work);
		return Files.exists(picture) && Files.size(picture) > 0;
	}

	/**
	 * What a helper run may add to the job's folder: a poster or a storyboard sprite is a few MB
	 * even at 2160p. Past it, the run writes something else (a crafted file made it loop).
	 */
	static final long HELPER_OUTPUT_BYTES = 64L * 1024 * 1024;

	/**
	 * A short helper ffmpeg (one picture, the storyboard sprite) in the sandbox, reading
	 * {@code source} (null: only {@code work}) and writing into {@code work}: what it says is
	 * dropped, it is killed after two minutes or once it added {@link #HELPER_OUTPUT_BYTES} to the
	 * folder, and whether its picture came out is the caller's check.
	 */
	MediaTools.Result runHelper(List<String> command, Path source, Path work) throws InterruptedException {
		try {
			return MediaTools.run(sandbox, command, source == null || source.startsWith(work) ? List.of() : List.of(source), work,
					Duration.ofMinutes(2), MediaTools.sizeOf(work) + HELPER_OUTPUT_BYTES, 64 * 1024);
		}
		catch (IllegalStateException e) {
			if (Thread.interrupted()) {
				// Stopping (shutdown, lease lost): as interrupted as the caller.
				throw new InterruptedException(e.getMessage());
			}
			throw e;
		}
	}

	/**
	 * Publishes the renditions of {@code plan} while ffmpeg writes them, with a master from the
	 * planned bitrates (the measured one replaces it at the end); the video is recorded as
	 * {@code width}x{@code height}, its best quality's size.
	 */
	EarlyPublisher publisher(String videoId, Plan plan, Path out, double duration, Integer width, Integer height) {
		return publisher(videoId, plan, List.of(), Map.of(), out, duration, width, height);
	}

	/**
	 * As {@link #publisher(String, Plan, Path, double, Integer, Integer)}, with {@code made}: qualities
	 * whole already in {@code out} (listed first, with their measured figures and the
	 * {@code CODECS} in {@code codecs}).
	 */
	EarlyPublisher publisher(String videoId, Plan plan, List<HlsOutput.Measured> made, Map<String, String> codecs, Path out,
			double duration, Integer width, Integer height) {
		List<EarlyPublisher.Expected> expected = new ArrayList<>();
		List<HlsOutput.Measured> pictures = new ArrayList<>(made);
		List<HlsOutput.Measured> sound = new ArrayList<>();
		made.forEach(m -> expected.add(new EarlyPublisher.Expected(m.name(), m.quality())));
		for (Plan.Quality quality : plan.qualities()) {
			expected.add(new EarlyPublisher.Expected(quality.name(), quality));
			long bps = quality.videoKbps() * 1100L;
			pictures.add(new HlsOutput.Measured(quality, null, quality.name(), duration, bps, bps, 0));
		}
		for (Plan.AudioTrack track : plan.audioTracks()) {
			expected.add(new EarlyPublisher.Expected(track.name(), null));
			long bps = settings.audioBitrate() * 1100L;
			sound.add(new HlsOutput.Measured(null, track, track.name(), duration, bps, bps, 0));
		}
		String master = HlsOutput.master(pictures, sound, codecs, plan.fps());
		List<Rendition> recorded = new ArrayList<>(pictures.stream().map(Transcoder::rendition).toList());
		recorded.addAll(sound.stream().map(Transcoder::rendition).toList());
		return new EarlyPublisher(blobs, catalog, videoId, out, expected, duration, master, recorded, width, height);
	}

	/** The catalog's record of a measured rendition: a quality, or an audio track. */
	static Rendition rendition(HlsOutput.Measured m) {
		return m.quality() != null ? new Rendition(m.name(), m.quality().width(), m.quality().height(), m.peakBps())
				: new Rendition(m.name(), 0, 0, m.peakBps(),
						new Rendition.AudioTrack(m.track().language(), m.track().label(), m.track().isDefault()));
	}

	/** Stores the output; {@code published} names segments stored already (the same bytes), which are skipped. */
	private void store(String videoId, Path out, java.util.Set<String> published) throws IOException {
		String prefix = VideoFiles.renditions(videoId);
		List<Path> files;
		try (Stream<Path> walk = Files.walk(out)) {
			files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Transcoder::storeOrder)).toList();
		}
		for (Path file : files) {
			String relative = out.relativize(file).toString().replace('\\', '/');
			if (!published.contains(relative)) {
				blobs.moveIn(prefix + relative, file);
			}
		}
	}

	/** Media first, rendition playlists next, the master last. */
	private static int storeOrder(Path file) {
		String name = file.getFileName().toString();
		if (name.equals(VideoFiles.MASTER)) {
			return 2;
		}
		return name.endsWith(".m3u8") ? 1 : 0;
	}

	private static final java.util.regex.Pattern COMPONENT_LINE = java.util.regex.Pattern
			.compile("^\\[(\\w+) @ 0x[0-9a-f]+\\] (.+)$");

	/**
	 * A sentence from ffmpeg's error lines: what the decoder or demuxer said first (the cause)
	 * rather than the generic lines ffmpeg prints on its way out.
	 */
	static String describe(FfmpegRunner.Result result) {
		if (result.killedBecause() != null) {
			return "transcoding stopped: " + result.killedBecause();
		}
		List<String> lines = result.errorLines().stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
		for (String line : lines) {
			var matcher = COMPONENT_LINE.matcher(line);
			if (matcher.matches() && !matcher.group(1).equals("swscaler") && isError(matcher.group(2))) {
				return "ffmpeg could not decode the file (" + matcher.group(1) + ": " + matcher.group(2) + ")";
			}
		}
		String reason = lines.stream().filter(Transcoder::isError).findFirst()
				.orElse(lines.isEmpty() ? "exit code " + result.exitCode() : lines.get(lines.size() - 1));
		log.debug("ffmpeg failed: {}", lines);
		return "ffmpeg could not transcode the file: " + reason;
	}

	private static boolean isError(String line) {
		String lower = line.toLowerCase(java.util.Locale.ROOT);
		return lower.contains("error") || lower.contains("invalid") || lower.contains("corrupt") || lower.contains("not found")
				|| lower.contains("unsupported") || lower.contains("missing");
	}
}
