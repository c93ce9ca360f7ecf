package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.queue.JobContext;
import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.FleetMember;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.Queues;
import dev.videoforge.shared.Ids;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A video transcoded by the whole fleet: its first job cuts it into chunks on the keyframe grid
 * ({@link ChunkPlan}) and queues one job per chunk plus one for its sound; any processor takes any
 * of them. A video of up to two minutes, or a longer one on a fleet of a few slots, gets a first
 * rendition: the sound's job, queued first, also makes one quality (about 360p) of the whole video
 * in one run and publishes it as it goes, so the video plays within seconds on that quality while
 * the chunks make the others. Without one (a long video on a large fleet, one of one quality, or
 * the setting off), each part records itself when stored, then publishes: once
 * the sound and the chunks from the start are in and the rest is coming fast enough to keep up
 * with a viewer, the playlists (growing) and the master go out and the video is playable. The last
 * part queues the assembly, which writes the complete playlists, checks them, makes the storyboard
 * and marks the video READY. A processor that dies costs one chunk, which its job's next lease
 * encodes again.
 */
class ChunkedTranscode {

	private static final Logger log = LoggerFactory.getLogger(ChunkedTranscode.class);

	private final BlobStore blobs;
	private final VideoCatalog catalog;
	private final JobQueue queue;
	private final ChunkStore store;
	private final Transcoder transcoder;
	private final TranscodeSettings settings;
	private final MediaSettings media;
	private final TransactionTemplate transaction;
	private final EmbeddedCaptions captions;
	private final Fleet fleet;

	ChunkedTranscode(BlobStore blobs, VideoCatalog catalog, JobQueue queue, ChunkStore store, Transcoder transcoder,
			TranscodeSettings settings, MediaSettings media, TransactionTemplate transaction, EmbeddedCaptions captions,
			Fleet fleet) {
		this.blobs = blobs;
		this.catalog = catalog;
		this.queue = queue;
		this.store = store;
		this.transcoder = transcoder;
		this.settings = settings;
		this.media = media;
		this.transaction = transaction;
		this.captions = captions;
		this.fleet = fleet;
	}

	/**
	 * Whether the video goes to the fleet in parts: when it is long enough for chunks to pay off, or
	 * when a first rendition makes it play sooner and a second transcode slot can make it while
	 * another encodes the rest (with one slot the first rendition's extra decode would only delay
	 * READY). Only media with pictures is cut, and only in a container of {@code chunk-formats}: one
	 * whose seek lands on the keyframe at or before the chunk's start.
	 */
	boolean worthChunking(Transcoder.Prepared prepared) {
		double seconds = prepared.info().durationSeconds();
		if (prepared.plan().audioOnly() || settings.chunkThreshold().toMillis() <= 0) {
			// Chunking off: every video takes the single pass, the first rendition with it.
			return false;
		}
		boolean worth = seconds >= settings.chunkThreshold().toMillis() / 1000.0 && seconds >= 2.0 * settings.chunkSeconds();
		if (!worth) {
			int slots = slots();
			worth = slots >= 2 && firstQuality(prepared, slots) != null;
		}
		if (worth && settings.chunkFormats().stream().noneMatch(f -> f.strip().equalsIgnoreCase(prepared.info().format()))) {
			log.info("{} s of {}, which is not one of chunk-formats {}: the single pass", Math.round(seconds),
					prepared.info().format(), settings.chunkFormats());
			return false;
		}
		return worth;
	}

	/**
	 * The quality made whole by the sound's job, published as it is made: the best of at most
	 * {@code first-rendition-height} (else the smallest), for a video with two qualities or more
	 * from {@code first-rendition-threshold} up to {@code first-rendition-up-to} long, or longer
	 * while the fleet has at most {@code first-rendition-max-slots} transcode slots; null: none, the
	 * chunks make every quality.
	 *
	 * <p>Why the slots (measured on a 5-minute 1080p source, one core a slot, docs/BENCHMARKS.md):
	 * the first rendition's one job made 1.19 s of video a second at 360p (0.73 at 480p) and the
	 * chunks of every other quality about 0.26 to 0.35 a slot. Playable from the start needs the
	 * part published to stay ahead of a viewer: on a first rendition faster than real time after its
	 * first segment, by chunks in every quality after about 1.2 of the video's length with two
	 * slots, 0.5 with three, 0.2 with four, and one chunk's time from five on; the first rendition
	 * costs a second decode of the source.
	 */
	Plan.Quality firstQuality(Transcoder.Prepared prepared, int slots) {
		List<Plan.Quality> qualities = prepared.plan().qualities();
		long threshold = settings.firstRenditionThreshold().toMillis();
		long upTo = settings.firstRenditionUpTo().toMillis();
		double seconds = prepared.info().durationSeconds();
		if (qualities.size() < 2 || threshold <= 0 || seconds < threshold / 1000.0
				|| (upTo > 0 && seconds > upTo / 1000.0 && slots > settings.firstRenditionMaxSlots())) {
			return null;
		}
		return qualities.stream().filter(q -> Math.min(q.width(), q.height()) <= settings.firstRenditionHeight()).findFirst()
				.orElse(qualities.get(qualities.size() - 1));
	}

	/** The transcode slots of the fleet now (this processor's among them). */
	private int slots() {
		return fleet.members(Queues.TRANSCODE).stream().mapToInt(FleetMember::max).sum();
	}

	/**
	 * Plans the chunks and queues their jobs, the ones that make it play soonest first: the sound
	 * and the first rendition when there is one, else the first chunk before the sound.
	 */
	void start(String videoId, String account, Transcoder.Prepared prepared) throws IOException {
		// A few chunks are cut to share out evenly over the slots.
		int slots = slots();
		// The source's own pictures, when a browser plays them, cost nothing where a first rendition costs a decode.
		boolean original = original(videoId, prepared);
		Plan.Quality first = original ? null : firstQuality(prepared, slots);
		ChunkPlan plan = ChunkPlan.of(Ids.newId(), videoId, prepared.info(), prepared.plan(), prepared.limitSeconds(),
				settings.segmentSeconds(), settings.chunkSeconds(), slots).withFirstQuality(first).withOriginal(original);
		// A redelivered plan job, or a new attempt, starts from nothing: its parts are recorded anew.
		blobs.deletePrefix(VideoFiles.renditions(videoId));
		store.save(plan);
		if (first != null || original) {
			queue.enqueue(ChunkJobs.AUDIO, new ChunkJobs.Audio(videoId, plan.planId()), ChunkJobs.audioKey(plan.planId()), account);
		}
		queue.enqueue(ChunkJobs.CHUNK, new ChunkJobs.Chunk(videoId, plan.planId(), 0), ChunkJobs.chunkKey(plan.planId(), 0),
				account);
		if (first == null && !original) {
			queue.enqueue(ChunkJobs.AUDIO, new ChunkJobs.Audio(videoId, plan.planId()), ChunkJobs.audioKey(plan.planId()), account);
		}
		for (int i = 1; i < plan.chunks(); i++) {
			queue.enqueue(ChunkJobs.CHUNK, new ChunkJobs.Chunk(videoId, plan.planId(), i), ChunkJobs.chunkKey(plan.planId(), i),
					account);
		}
		log.info("video {}: {} s cut into {} chunks of {} frames ({} s) for {} transcode slots, first rendition {}, plan {}",
				videoId, String.format(Locale.ROOT, "%.1f", prepared.info().durationSeconds()), plan.chunks(),
				plan.framesPerChunk(), String.format(Locale.ROOT, "%.1f", plan.lengthSeconds(0)), slots,
				first != null ? first.name() : original ? "the source's own pictures" : "none", plan.planId());
	}

	/**
	 * Whether the video plays on its source's own pictures, repackaged, until READY
	 * ({@link OriginalRendition}): when {@code original-first} is on and the probe found pictures a
	 * browser plays as they are, at most {@code original-max-kbps}. The repackaged stream is checked
	 * again when it is made.
	 */
	private boolean original(String videoId, Transcoder.Prepared prepared) throws IOException {
		if (!settings.originalFirst()) {
			return false;
		}
		String refusal = OriginalRendition.refusal(prepared.info(), Files.size(prepared.source()), settings.originalMaxKbps(),
				settings.maxFrameRate());
		if (refusal != null) {
			log.info("video {}: not played on its own pictures while it is made: {}", videoId, refusal);
		}
		return refusal == null;
	}

	/** The plan a part's job belongs to, when it is still the video's current one and the video is still being made. */
	private Optional<ChunkPlan> current(String videoId, String planId) {
		var video = catalog.find(videoId);
		if (video.isEmpty() || video.get().status() != VideoStatus.PROCESSING) {
			return Optional.empty();
		}
		return store.plan(videoId).filter(p -> p.planId().equals(planId));
	}

	/** Encodes every quality of one chunk, moves its segments into place, stores and records them. */
	void encodeChunk(ChunkJobs.Chunk job, JobContext context, Path work) throws Exception {
		Optional<ChunkPlan> found = current(job.videoId(), job.planId());
		if (found.isEmpty()) {
			log.info("chunk {} of video {}: its plan is over; nothing to do", job.index(), job.videoId());
			return;
		}
		ChunkPlan plan = found.get();
		String part = ChunkPlan.part(job.index());
		if (!store.done(job.videoId(), job.planId()).containsKey(part)) {
			Path source = transcoder.fetch(job.videoId(), work);
			Path out = Files.createDirectories(work.resolve("out"));
			List<String> command = transcoder.sandboxed(ChunkCommands.video(media.ffmpeg(), plan, job.index(), source, out,
					settings.preset()), source, work);
			double length = plan.lengthSeconds(job.index());
			long frames = plan.last(job.index()) ? Math.max(1, Math.round(length * plan.plan().fps())) : plan.framesPerChunk();
			FfmpegRunner.Result result = FfmpegRunner.run(command, work.resolve("ffmpeg.log"), length, frames,
					progress(plan, part), context::leaseHeld, settings.stallTimeout(), settings.timeout(), work,
					transcoder.maxOutputBytes(plan.plan(), length + 2));
			if (!context.leaseHeld()) {
				throw new InterruptedException("lease lost");
			}
			if (result.killedBecause() != null) {
				// One stalled or starved chunk is worth another attempt (maybe on another processor);
				// its attempts are counted, so a chunk that always stalls still ends the video.
				throw TranscodeFailure.transientFailure("chunk " + job.index() + ": " + Transcoder.describe(result));
			}
			if (!result.succeeded()) {
				throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE,
						"chunk " + job.index() + ": " + Transcoder.describe(result));
			}
			if (!plan.last(job.index()) && result.frames() != plan.framesPerChunk()) {
				// A source that ends early is the last chunk's business; a short middle chunk is damage.
				throw TranscodeFailure.permanent(TranscodeFailure.DAMAGED, "chunk " + job.index() + " holds "
						+ result.frames() + " frames instead of " + plan.framesPerChunk());
			}
			Map<String, ChunkStore.Track> renditions = new java.util.LinkedHashMap<>();
			for (Plan.Quality quality : plan.chunkPlan().qualities()) {
				Path folder = out.resolve(quality.name());
				ChunkStore.Track track = track(folder);
				// Its keyframes decode (cheap: one picture a segment), as a single pass checks each quality.
				transcoder.verifyDecodes(HlsOutput.finishAndMeasure(folder, quality), folder.resolve(VideoFiles.PLAYLIST), work, length);
				long timescale = Fmp4.timescale(folder.resolve(track.init()));
				for (ChunkStore.Segment segment : track.segments()) {
					Fmp4.shiftDecodeTimes(folder.resolve(segment.uri()), plan.startTicks(job.index(), timescale));
				}
				renditions.put(quality.name(), track);
			}
			if (!context.leaseHeld()) {
				throw new InterruptedException("lease lost");
			}
			String prefix = VideoFiles.renditions(job.videoId());
			for (var rendition : renditions.entrySet()) {
				Path folder = out.resolve(rendition.getKey());
				// Every chunk's init section is the same bytes (same encoder settings, same size).
				blobs.moveIn(prefix + rendition.getKey() + "/" + rendition.getValue().init(), folder.resolve(rendition.getValue().init()));
				for (ChunkStore.Segment segment : rendition.getValue().segments()) {
					blobs.moveIn(prefix + rendition.getKey() + "/" + segment.uri(), folder.resolve(segment.uri()));
				}
			}
			store.record(job.videoId(), job.planId(), part, new ChunkStore.Part(renditions));
			log.info("video {}: chunk {}/{} stored ({} s from {} s, {} frames)", job.videoId(), job.index() + 1, plan.chunks(),
					String.format(Locale.ROOT, "%.1f", length),
					String.format(Locale.ROOT, "%.1f", plan.startSeconds(job.index())), result.frames());
		}
		partDone(plan);
	}

	/**
	 * Encodes the sound once, as its own renditions, and the poster; with a first rendition, that
	 * quality of the whole video too, in the same run, published as it is made (the video plays
	 * once it can be watched from the start without stalling, within seconds when the run is
	 * faster than real time). Stores and records them.
	 */
	void encodeAudio(ChunkJobs.Audio job, JobContext context, Path work) throws Exception {
		Optional<ChunkPlan> found = current(job.videoId(), job.planId());
		if (found.isEmpty()) {
			return;
		}
		ChunkPlan plan = found.get();
		if (!store.done(job.videoId(), job.planId()).containsKey(ChunkPlan.AUDIO)) {
			Path source = transcoder.fetch(job.videoId(), work);
			FfmpegCommand.Input input = new FfmpegCommand.Input(source, plan.info().format(), plan.limitSeconds());
			Path out = Files.createDirectories(work.resolve("out"));
			Plan made = plan.soundPlan();
			Map<String, ChunkStore.Track> renditions = new java.util.LinkedHashMap<>();
			java.util.Set<String> published = java.util.Set.of();
			// Seconds for the whole video: it is out before the sound's first segment.
			HlsOutput.Measured original = plan.original() ? repackageOriginal(plan, input, source, out, context, work) : null;
			if (original != null) {
				renditions.put(original.name(), track(out.resolve(original.name())));
			}
			if (made.audio() || plan.firstQuality() != null) {
				RunResult run = plan.firstQuality() != null ? runFirst(plan, input, source, out, context, work)
						: original != null ? runSoundBeside(plan, original, input, source, out, context, work)
								: new RunResult(runSound(plan, input, source, out, context, work), Set.of());
				published = run.published();
				FfmpegRunner.Result result = run.result();
				if (!context.leaseHeld()) {
					throw new InterruptedException("lease lost");
				}
				if (current(job.videoId(), job.planId()).isEmpty()) {
					log.info("video {}: its plan {} ended while its sound was made; nothing stored", job.videoId(), job.planId());
					if (catalog.find(job.videoId()).isEmpty()) {
						// Deleted meanwhile: what was published early goes too.
						blobs.deletePrefix(VideoFiles.renditions(job.videoId()));
					}
					return;
				}
				if (result.killedBecause() != null && plan.firstQuality() != null) {
					// A whole quality stalled or starved: worth another attempt, as for a chunk.
					throw TranscodeFailure.transientFailure("sound and first rendition: " + Transcoder.describe(result));
				}
				if (!result.succeeded()) {
					throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE, "sound: " + Transcoder.describe(result));
				}
				double expected = Math.min(plan.info().durationSeconds(), plan.limitSeconds());
				List<HlsOutput.Measured> measured = new ArrayList<>();
				for (Plan.Quality quality : made.qualities()) {
					measured.add(HlsOutput.finishAndMeasure(out.resolve(quality.name()), quality));
				}
				for (Plan.AudioTrack track : made.audioTracks()) {
					measured.add(HlsOutput.finishAndMeasure(out.resolve(track.name()), track));
				}
				Transcoder.checkComplete(measured, expected, made.fps());
				for (HlsOutput.Measured m : measured) {
					Path folder = out.resolve(m.name());
					transcoder.verifyDecodes(m, folder.resolve(VideoFiles.PLAYLIST), work, expected);
					renditions.put(m.name(), track(folder));
				}
			}
			Path poster = out.resolve(VideoFiles.POSTER);
			if (!Files.exists(poster) || Files.size(poster) == 0) {
				transcoder.runHelper(ChunkCommands.poster(media.ffmpeg(), plan.plan(), input,
						plan.plan().pictures().poster().atSeconds(), poster), source, work);
			}
			if (!context.leaseHeld()) {
				throw new InterruptedException("lease lost");
			}
			String prefix = VideoFiles.renditions(job.videoId());
			for (var rendition : renditions.entrySet()) {
				Path folder = out.resolve(rendition.getKey());
				ChunkStore.Track track = rendition.getValue();
				for (String file : files(track)) {
					if (!published.contains(rendition.getKey() + "/" + file)) {
						blobs.moveIn(prefix + rendition.getKey() + "/" + file, folder.resolve(file));
					}
				}
				if (plan.firstQuality() != null || original != null) {
					// Published growing: now whole (its segments are all in, above).
					blobs.putText(prefix + rendition.getKey() + "/" + VideoFiles.PLAYLIST, playlist(track, true));
				}
			}
			if (Files.exists(poster) && Files.size(poster) > 0) {
				blobs.moveIn(prefix + VideoFiles.POSTER, poster);
			}
			store.record(job.videoId(), job.planId(), ChunkPlan.AUDIO, new ChunkStore.Part(renditions));
			log.info("video {}: sound{} and poster stored", job.videoId(), plan.firstQuality() != null
					? ", the whole " + plan.firstQuality() + " quality" : original != null ? ", the source's own pictures" : "");
		}
		partDone(plan);
	}

	/** What the sound's run did, and the files its publisher stored already ({@code 480p/seg_00003.m4s}). */
	private record RunResult(FfmpegRunner.Result result, Set<String> published) {
	}

	/** The sound alone, every track once. */
	private FfmpegRunner.Result runSound(ChunkPlan plan, FfmpegCommand.Input input, Path source, Path out, JobContext context,
			Path work) throws IOException, InterruptedException {
		List<String> command = transcoder.sandboxed(FfmpegCommand.audio(media.ffmpeg(), plan.plan(), input, out,
				settings.segmentSeconds(), settings.audioBitrate()), source, work);
		return FfmpegRunner.run(command, work.resolve("ffmpeg.log"), plan.info().durationSeconds(), 0,
				progress(plan, ChunkPlan.AUDIO), context::leaseHeld, settings.stallTimeout(), settings.timeout(), work,
				transcoder.maxOutputBytes(plan.plan(), plan.limitSeconds()));
	}

	/**
	 * The sound, published as it is made beside the source's own pictures (whole already), while
	 * this plan is still the video's: playable once the sound's first segment is out.
	 */
	private RunResult runSoundBeside(ChunkPlan plan, HlsOutput.Measured original, FfmpegCommand.Input input, Path source,
			Path out, JobContext context, Path work) throws IOException, InterruptedException {
		Path init = out.resolve(original.name()).resolve(VideoFiles.INIT);
		// The video is recorded at its best quality's size to come, as with a first rendition.
		Plan.Quality best = plan.plan().qualities().get(0);
		EarlyPublisher publisher = transcoder.publisher(plan.videoId(), plan.soundPlan(), List.of(original),
				Map.of(original.name(), Fmp4.avcCodec(init)), out, plan.info().durationSeconds(), best.width(), best.height())
				.gated(writes -> whileSoundPending(plan, writes));
		return publishing(plan, publisher, FfmpegCommand.audio(media.ffmpeg(), plan.plan(), input, out,
				settings.segmentSeconds(), settings.audioBitrate()), source, context, work);
	}

	/**
	 * Repackages the source's pictures into {@code out/original} ({@link OriginalRendition}) and
	 * checks them as a rendition of our own: segments of media, as long as the media, within the
	 * settings, keyframes that decode. Null, with nothing left behind, when they are not to be
	 * played: the chunks publish the video as they would without.
	 */
	private HlsOutput.Measured repackageOriginal(ChunkPlan plan, FfmpegCommand.Input input, Path source, Path out,
			JobContext context, Path work) throws IOException, InterruptedException {
		Path folder = Files.createDirectories(out.resolve(OriginalRendition.NAME));
		double expected = Math.min(plan.info().durationSeconds(), plan.limitSeconds());
		List<String> command = transcoder.sandboxed(OriginalRendition.command(media.ffmpeg(), plan.info(), input, folder,
				settings.segmentSeconds()), source, work);
		// A copy is at most the source's size (less its sound), plus the boxes of each segment.
		FfmpegRunner.Result result = FfmpegRunner.run(command, work.resolve("original.log"), expected, 0, fraction -> {
		}, context::leaseHeld, settings.stallTimeout(), settings.timeout(), folder, Files.size(source) + 64L * 1024 * 1024);
		if (!context.leaseHeld()) {
			throw new InterruptedException("lease lost");
		}
		String refusal = result.succeeded() ? null : Transcoder.describe(result);
		HlsOutput.Measured measured = null;
		if (refusal == null) {
			try {
				measured = HlsOutput.finishAndMeasure(folder, OriginalRendition.quality(plan.info()));
				Transcoder.checkComplete(List.of(measured), expected, plan.plan().fps());
				double longest = track(folder).segments().stream().mapToDouble(ChunkStore.Segment::seconds).max().orElse(0);
				refusal = OriginalRendition.refusal(Fmp4.avcCodec(folder.resolve(VideoFiles.INIT)), measured, longest,
						settings.originalMaxKbps(), settings.originalMaxSegment());
				if (refusal == null) {
					transcoder.verifyDecodes(measured, folder.resolve(VideoFiles.PLAYLIST), work, expected);
				}
			}
			catch (TranscodeFailure | IOException | RuntimeException e) {
				refusal = e.getMessage();
			}
		}
		if (refusal != null) {
			log.info("video {}: not played on its own pictures while it is made: {}", plan.videoId(), refusal);
			org.springframework.util.FileSystemUtils.deleteRecursively(folder);
			return null;
		}
		log.info("video {}: its own pictures repackaged ({} segments, {} kbit/s)", plan.videoId(), measured.segments(),
				measured.averageBps() / 1000);
		return measured;
	}

	/**
	 * The first rendition, the sound and the poster in one run, published as they are made while
	 * this plan is still the video's (a new attempt or a deletion stops the publishing).
	 */
	private RunResult runFirst(ChunkPlan plan, FfmpegCommand.Input input, Path source, Path out, JobContext context, Path work)
			throws IOException, InterruptedException {
		Plan made = plan.soundPlan();
		Plan.Quality best = plan.plan().qualities().get(0);
		EarlyPublisher publisher = transcoder.publisher(plan.videoId(), made, out, plan.info().durationSeconds(), best.width(),
				best.height()).gated(writes -> whileSoundPending(plan, writes));
		return publishing(plan, publisher, FfmpegCommand.first(media.ffmpeg(), made, input, out, settings.preset(),
				settings.segmentSeconds(), settings.audioBitrate()), source, context, work);
	}

	/** Runs the sound's job's ffmpeg while {@code publisher} publishes what it writes. */
	private RunResult publishing(ChunkPlan plan, EarlyPublisher publisher, List<String> ffmpeg, Path source,
			JobContext context, Path work) throws IOException, InterruptedException {
		Plan made = plan.soundPlan();
		double duration = plan.info().durationSeconds();
		List<String> command = transcoder.sandboxed(ffmpeg, source, work);
		double[] done = { 0 };
		// The longest part of the plan: it stops as soon as the plan is no longer the video's.
		BooleanSupplier keepGoing = stillCurrent(plan, context);
		publisher.start(() -> done[0] * duration, keepGoing);
		ProgressReporter progress = progress(plan, ChunkPlan.AUDIO);
		FfmpegRunner.Result result;
		try {
			result = FfmpegRunner.run(command, work.resolve("ffmpeg.log"), duration, made.expectedFrames(), fraction -> {
				done[0] = fraction;
				progress.accept(fraction);
			}, keepGoing, settings.stallTimeout(), settings.timeout(), work,
					transcoder.maxOutputBytes(made, plan.limitSeconds()));
		}
		finally {
			publisher.stop();
		}
		return new RunResult(result, publisher.uploaded());
	}

	/**
	 * Runs the first rendition's publishing writes under the plan's lock (as {@link #partDone}
	 * does), while the plan is the video's and its sound is not recorded: then no other attempt
	 * writes meanwhile, and the assembly (queued under that lock once the sound is recorded) has
	 * not begun, so its master is never overwritten by this one.
	 */
	private boolean whileSoundPending(ChunkPlan plan, EarlyPublisher.Writes writes) {
		Boolean ran = transaction.execute(status -> {
			if (store.lock(plan.videoId(), plan.planId()).isEmpty() || current(plan.videoId(), plan.planId()).isEmpty()
					|| store.done(plan.videoId(), plan.planId()).containsKey(ChunkPlan.AUDIO)) {
				return false;
			}
			try {
				writes.run();
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			return true;
		});
		return Boolean.TRUE.equals(ran);
	}

	/** True while the lease is held and the plan is still the video's (asked of the database every two seconds at most). */
	private BooleanSupplier stillCurrent(ChunkPlan plan, JobContext context) {
		long[] checkedAt = { System.nanoTime() };
		boolean[] current = { true };
		return () -> {
			if (!context.leaseHeld()) {
				return false;
			}
			if (current[0] && System.nanoTime() - checkedAt[0] > 2_000_000_000L) {
				synchronized (current) {
					current[0] = current(plan.videoId(), plan.planId()).isPresent();
					checkedAt[0] = System.nanoTime();
				}
			}
			return current[0];
		};
	}

	/**
	 * A running part's progress: its own fraction, shared with the fleet, and the video's percent,
	 * every part's weighed by its work ({@link ChunkPlan#weight}) wherever it runs.
	 */
	private ProgressReporter progress(ChunkPlan plan, String part) {
		return new ProgressReporter(percent -> {
			store.progress(plan.videoId(), plan.planId(), part, percent / 100.0);
			catalog.updateProgress(plan.videoId(), plan.percent(store.fractions(plan.videoId(), plan.planId())));
		});
	}

	/** A track's files: its init section and its segments. */
	private static List<String> files(ChunkStore.Track track) {
		List<String> files = new ArrayList<>();
		files.add(track.init());
		track.segments().forEach(segment -> files.add(segment.uri()));
		return files;
	}

	/**
	 * After a part is stored: progress, the growing playlists once they can be watched, and the
	 * assembly once everything is in. One part at a time per video (the plan row is locked), so
	 * two processors finishing together do not publish over each other.
	 */
	void partDone(ChunkPlan plan) throws IOException {
		String videoId = plan.videoId();
		Boolean complete = transaction.execute(status -> {
			Optional<Instant> started = store.lock(videoId, plan.planId());
			if (started.isEmpty()) {
				// The video was deleted (its plan with it) or a new attempt replaced this plan.
				return null;
			}
			Map<String, ChunkStore.Part> parts = store.done(videoId, plan.planId());
			int total = plan.chunks() + 1;
			catalog.updateProgress(videoId, plan.percent(store.fractions(videoId, plan.planId())));
			try {
				publish(plan, parts, Duration.between(started.get(), Instant.now()));
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			return parts.size() == total;
		});
		if (complete == null) {
			if (catalog.find(videoId).isEmpty()) {
				// Deleted while we worked: do not leave this part's files behind.
				blobs.deletePrefix(VideoFiles.renditions(videoId));
			}
			return;
		}
		if (complete) {
			String account = catalog.find(videoId).map(dev.videoforge.catalog.Video::ownerId).orElse(null);
			queue.enqueue(ChunkJobs.ASSEMBLE, new ChunkJobs.Assemble(videoId, plan.planId()), ChunkJobs.assembleKey(plan.planId()),
					account);
		}
	}

	/**
	 * Publishes the chunks done from the start, when they can be watched without stalling: the fleet
	 * has made {@code made} seconds of media in {@code elapsed}, so a viewer starting now keeps ahead
	 * of nothing if {@code published ≥ duration · (1 - speed)} (with the single pass's margin).
	 */
	private void publish(ChunkPlan plan, Map<String, ChunkStore.Part> parts, Duration elapsed) throws IOException {
		if (!parts.containsKey(ChunkPlan.AUDIO)) {
			return;
		}
		if (plan.firstQuality() != null || parts.get(ChunkPlan.AUDIO).renditions().containsKey(OriginalRendition.NAME)) {
			publishFirst(plan, parts);
			return;
		}
		int prefix = 0;
		while (prefix < plan.chunks() && parts.containsKey(ChunkPlan.part(prefix))) {
			prefix++;
		}
		if (prefix == 0) {
			return;
		}
		double duration = plan.info().durationSeconds();
		double published = prefix == plan.chunks() ? duration : plan.startSeconds(prefix);
		double made = 0;
		for (int i = 0; i < plan.chunks(); i++) {
			if (parts.containsKey(ChunkPlan.part(i))) {
				made += plan.lengthSeconds(i);
			}
		}
		double speed = made / Math.max(0.001, elapsed.toMillis() / 1000.0);
		// Published already when marked playable and its master is there (a plan that replaced an
		// earlier one, after a lost lease, publishes its own master again).
		String prefixKey = VideoFiles.renditions(plan.videoId());
		boolean playable = catalog.find(plan.videoId()).map(v -> v.playableAt() != null).orElse(false)
				&& blobs.stat(prefixKey + VideoFiles.MASTER).isPresent();
		if (!playable && published < duration * (1 - speed * EarlyPublisher.SPEED_MARGIN) - 0.001) {
			return;
		}
		for (Plan.Quality quality : plan.plan().qualities()) {
			blobs.putText(prefixKey + quality.name() + "/" + VideoFiles.PLAYLIST, playlist(joined(plan, parts, quality.name(), prefix), prefix == plan.chunks()));
		}
		ChunkStore.Part sound = parts.get(ChunkPlan.AUDIO);
		if (!playable) {
			for (var track : sound.renditions().entrySet()) {
				blobs.putText(prefixKey + track.getKey() + "/" + VideoFiles.PLAYLIST, playlist(track.getValue(), true));
			}
			List<HlsOutput.Measured> measured = measured(plan, parts, prefix);
			blobs.putText(prefixKey + VideoFiles.MASTER, master(plan, measured));
			Plan.Quality top = plan.plan().qualities().get(0);
			if (catalog.markPlayable(plan.videoId(), duration, top.width(), top.height(),
					measured.stream().map(Transcoder::rendition).toList())) {
				log.info("video {} playable with {} of {} chunks in (the fleet makes {}x real time)", plan.videoId(), prefix,
						plan.chunks(), String.format(Locale.ROOT, "%.2f", speed));
			}
		}
	}

	/**
	 * With a first rendition, the video plays on it until READY: its job published it as it went
	 * (the other qualities' playlists would each end at another point than it, so they wait for the
	 * assembly). Here only when that job's publishing did not get so far (it is best effort): the
	 * first rendition and the sound, whole now, and their master.
	 */
	private void publishFirst(ChunkPlan plan, Map<String, ChunkStore.Part> parts) throws IOException {
		String prefixKey = VideoFiles.renditions(plan.videoId());
		boolean playable = catalog.find(plan.videoId()).map(v -> v.playableAt() != null).orElse(false)
				&& blobs.stat(prefixKey + VideoFiles.MASTER).isPresent();
		if (playable) {
			return;
		}
		List<HlsOutput.Measured> measured = new ArrayList<>();
		Map<String, String> codecs = new java.util.HashMap<>();
		ChunkStore.Track original = parts.get(ChunkPlan.AUDIO).renditions().get(OriginalRendition.NAME);
		if (original != null) {
			measured.add(measure(OriginalRendition.quality(plan.info()), null, OriginalRendition.NAME, original.segments()));
			String init = prefixKey + OriginalRendition.NAME + "/" + original.init();
			try (var in = blobs.open(init, 0, blobs.stat(init).orElseThrow().size())) {
				codecs.put(OriginalRendition.NAME, Fmp4.avcCodec(in.readAllBytes()));
			}
		}
		for (Plan.Quality quality : plan.soundPlan().qualities()) {
			measured.add(measure(quality, null, quality.name(), parts.get(ChunkPlan.AUDIO).renditions().get(quality.name()).segments()));
		}
		measured.addAll(soundMeasured(plan, parts));
		blobs.putText(prefixKey + VideoFiles.MASTER, master(plan, measured, codecs));
		Plan.Quality top = plan.plan().qualities().get(0);
		if (catalog.markPlayable(plan.videoId(), plan.info().durationSeconds(), top.width(), top.height(),
				measured.stream().map(Transcoder::rendition).toList())) {
			log.info("video {} playable on its first rendition ({})", plan.videoId(),
					original != null ? OriginalRendition.NAME : plan.firstQuality());
		}
	}

	/** Writes the complete playlists, checks them, makes the storyboard and marks the video READY. */
	void assemble(ChunkJobs.Assemble job, JobContext context, Path work) throws Exception {
		Optional<ChunkPlan> found = current(job.videoId(), job.planId());
		if (found.isEmpty()) {
			return;
		}
		ChunkPlan plan = found.get();
		Map<String, ChunkStore.Part> parts = store.done(job.videoId(), job.planId());
		if (parts.size() != plan.chunks() + 1) {
			throw TranscodeFailure.transientFailure("assembly started with " + parts.size() + " of " + (plan.chunks() + 1)
					+ " parts");
		}
		String prefix = VideoFiles.renditions(job.videoId());
		for (Plan.Quality quality : plan.plan().qualities()) {
			blobs.putText(prefix + quality.name() + "/" + VideoFiles.PLAYLIST, playlist(joined(plan, parts, quality.name(), plan.chunks()), true));
		}
		List<HlsOutput.Measured> measured = measured(plan, parts, plan.chunks());
		Transcoder.checkComplete(measured, Math.min(plan.info().durationSeconds(), plan.limitSeconds()), plan.plan().fps());
		// The smallest rendition made of chunks, decoded in full: its pictures for the storyboard, and a
		// check that the assembled stream plays from end to end across every seam.
		List<Plan.Quality> chunked = plan.chunkPlan().qualities();
		Plan.Quality smallest = chunked.get(chunked.size() - 1);
		Path playlist = blobs.localFolder(prefix + smallest.name() + "/", VideoFiles.PLAYLIST, work.resolve(smallest.name()));
		Path thumbnails = Files.createDirectories(work.resolve("thumbnails"));
		Plan.Storyboard storyboard = plan.plan().pictures().storyboard();
		List<String> frames = transcoder.sandboxed(ChunkCommands.storyboard(media.ffmpeg(), playlist,
				storyboard, thumbnails), playlist.getParent(), work);
		FfmpegRunner.Result decoded = FfmpegRunner.run(frames, work.resolve("storyboard.log"), 0, 0, fraction -> {
		}, context::leaseHeld, settings.stallTimeout(), settings.timeout(), work, 256L * 1024 * 1024);
		if (!decoded.succeeded()) {
			throw TranscodeFailure.permanent(TranscodeFailure.UNDECODABLE,
					"the assembled " + smallest.name() + " rendition does not decode: " + Transcoder.describe(decoded));
		}
		Path sprite = work.resolve(VideoFiles.STORYBOARD);
		transcoder.tile(storyboard, thumbnails, sprite, work);
		if (Files.exists(sprite)) {
			Path cues = work.resolve(VideoFiles.STORYBOARD_CUES);
			Files.writeString(cues, HlsOutput.storyboardVtt(storyboard, plan.info().durationSeconds(), VideoFiles.STORYBOARD));
			blobs.moveIn(prefix + VideoFiles.STORYBOARD, sprite);
			blobs.moveIn(prefix + VideoFiles.STORYBOARD_CUES, cues);
		}
		if (!context.leaseHeld()) {
			throw new InterruptedException("lease lost");
		}
		blobs.putText(prefix + VideoFiles.MASTER, master(plan, measured));
		if (!plan.info().subtitles().isEmpty() && captions != null) {
			Path source = transcoder.fetch(job.videoId(), work);
			captions.extract(job.videoId(), plan.info(),
					new FfmpegCommand.Input(source, plan.info().format(), plan.limitSeconds()), plan.plan().qualities().get(0).name(),
					work);
		}
		TranscodeHandler.requireLease(context);
		boolean poster = blobs.stat(prefix + VideoFiles.POSTER).isPresent();
		Plan.Quality top = plan.plan().qualities().get(0);
		List<Rendition> renditions = measured.stream().map(Transcoder::rendition).toList();
		boolean original = parts.get(ChunkPlan.AUDIO).renditions().containsKey(OriginalRendition.NAME);
		if (original) {
			// Out of the master from now on; kept a while for whoever is watching it (recorded first,
			// so a crash right after READY cannot leave it for ever).
			store.expireLater(job.videoId(), OriginalRendition.NAME, Instant.now().plus(settings.originalKeptAfterReady()));
		}
		if (catalog.markReady(job.videoId(), plan.info().durationSeconds(), top.width(), top.height(), renditions, poster)) {
			store.forget(job.videoId());
			log.info("video {}: {} chunks assembled, READY", job.videoId(), plan.chunks());
			if (original && settings.originalKeptAfterReady().isZero()) {
				removeExpired(Instant.now());
			}
		}
	}

	/**
	 * Removes the files of renditions whose time is up ({@code original-kept-after-ready} after
	 * READY); run every few minutes by each processor, and at READY when they are kept no time.
	 * Returns how many went.
	 */
	int removeExpired(Instant now) {
		int removed = 0;
		for (var due : store.expired(now)) {
			try {
				blobs.deletePrefix(VideoFiles.rendition(due.getKey(), due.getValue() + "/"));
				store.forgetExpiry(due.getKey(), due.getValue());
				removed++;
				log.info("video {}: the {} rendition's files removed, {} after READY", due.getKey(), due.getValue(),
						settings.originalKeptAfterReady());
			}
			catch (IOException | RuntimeException e) {
				log.warn("video {}: could not remove the {} rendition's files yet: {}", due.getKey(), due.getValue(),
						e.getMessage());
			}
		}
		return removed;
	}

	/** A part gave up: the video fails, and what it had published and recorded goes with it. */
	void failed(String videoId, dev.videoforge.queue.JobFailure reason) {
		if (!catalog.markFailed(videoId, TranscodeFailure.sentenceOf(reason))) {
			return;
		}
		try {
			blobs.deletePrefix(VideoFiles.renditions(videoId));
			store.forget(videoId);
		}
		catch (IOException | RuntimeException e) {
			log.warn("video {}: could not remove its partial renditions: {}", videoId, e.getMessage());
		}
	}

	/** A rendition's figures from its recorded segments, as {@link HlsOutput#finishAndMeasure} gives them for a single pass. */
	private static HlsOutput.Measured measure(Plan.Quality quality, Plan.AudioTrack track, String name,
			List<ChunkStore.Segment> segments) {
		double total = 0;
		long bits = 0;
		long peak = 0;
		for (ChunkStore.Segment s : segments) {
			total += s.seconds();
			bits += s.bytes() * 8;
			peak = Math.max(peak, Math.round(s.bytes() * 8 / Math.max(0.5, s.seconds())));
		}
		long average = total > 0 ? Math.round(bits / total) : 0;
		return new HlsOutput.Measured(quality, track, name, total, Math.max(peak, average), average, segments.size());
	}

	/**
	 * Every rendition's figures from the segments of the first {@code chunks} chunks: the video
	 * qualities first (the top one is what captions follow), then the sound's tracks.
	 */
	private static List<HlsOutput.Measured> measured(ChunkPlan plan, Map<String, ChunkStore.Part> parts, int chunks) {
		List<HlsOutput.Measured> measured = new ArrayList<>();
		for (Plan.Quality quality : plan.plan().qualities()) {
			measured.add(measure(quality, null, quality.name(), joined(plan, parts, quality.name(), chunks).segments()));
		}
		measured.addAll(soundMeasured(plan, parts));
		return measured;
	}

	/** The sound's tracks' figures. */
	private static List<HlsOutput.Measured> soundMeasured(ChunkPlan plan, Map<String, ChunkStore.Part> parts) {
		List<HlsOutput.Measured> measured = new ArrayList<>();
		ChunkStore.Part sound = parts.get(ChunkPlan.AUDIO);
		for (Plan.AudioTrack track : plan.plan().audioTracks()) {
			ChunkStore.Track stored = sound.renditions().get(track.name());
			if (stored != null) {
				measured.add(measure(null, track, track.name(), stored.segments()));
			}
		}
		return measured;
	}

	/** The master, as the single pass writes it: qualities without sound, each track its own rendition. */
	private static String master(ChunkPlan plan, List<HlsOutput.Measured> measured) {
		return master(plan, measured, Map.of());
	}

	/** As {@link #master(ChunkPlan, List)}, with the {@code CODECS} of renditions not of our own encoder. */
	private static String master(ChunkPlan plan, List<HlsOutput.Measured> measured, Map<String, String> codecs) {
		return HlsOutput.master(measured.stream().filter(m -> m.quality() != null).toList(),
				measured.stream().filter(m -> m.quality() == null).toList(), codecs, plan.plan().fps());
	}

	/** One rendition's segments of the first {@code count} chunks, in order (the first rendition's: all of them). */
	private static ChunkStore.Track joined(ChunkPlan plan, Map<String, ChunkStore.Part> parts, String rendition, int count) {
		if (rendition.equals(plan.firstQuality())) {
			return parts.get(ChunkPlan.AUDIO).renditions().get(rendition);
		}
		List<ChunkStore.Segment> segments = new ArrayList<>();
		String init = null;
		for (int i = 0; i < count; i++) {
			ChunkStore.Track track = parts.get(ChunkPlan.part(i)).renditions().get(rendition);
			init = init == null ? track.init() : init;
			segments.addAll(track.segments());
		}
		return new ChunkStore.Track(init, segments);
	}

	/** A media playlist of these segments: VOD and ended when complete, else EVENT (it grows). */
	static String playlist(ChunkStore.Track track, boolean complete) {
		List<ChunkStore.Segment> segments = track.segments();
		double longest = segments.stream().mapToDouble(ChunkStore.Segment::seconds).max().orElse(1);
		StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:")
				.append(Math.max(1, (int) Math.ceil(longest - 0.0005))).append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:")
				.append(complete ? "VOD" : "EVENT").append("\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"").append(track.init())
				.append("\"\n");
		for (ChunkStore.Segment segment : segments) {
			out.append(String.format(Locale.ROOT, "#EXTINF:%.6f,%n", segment.seconds())).append(segment.uri()).append('\n');
		}
		if (complete) {
			out.append("#EXT-X-ENDLIST\n");
		}
		return out.toString();
	}

	/** The init section and segments ffmpeg listed in a rendition's playlist, with their lengths and sizes. */
	private static ChunkStore.Track track(Path folder) throws IOException {
		List<ChunkStore.Segment> segments = new ArrayList<>();
		String init = null;
		double pending = -1;
		for (String line : Files.readAllLines(folder.resolve(VideoFiles.PLAYLIST))) {
			if (line.startsWith("#EXT-X-MAP:URI=\"")) {
				init = line.substring(16, line.indexOf('"', 16));
			}
			else if (line.startsWith("#EXTINF:")) {
				String value = line.substring("#EXTINF:".length());
				int comma = value.indexOf(',');
				pending = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
			}
			else if (!line.isBlank() && !line.startsWith("#") && pending >= 0) {
				segments.add(new ChunkStore.Segment(line.trim(), pending, Files.size(folder.resolve(line.trim()))));
				pending = -1;
			}
		}
		if (segments.isEmpty() || init == null) {
			throw new IOException("ffmpeg listed no segments in " + folder.getFileName());
		}
		return new ChunkStore.Track(init, segments);
	}
}
