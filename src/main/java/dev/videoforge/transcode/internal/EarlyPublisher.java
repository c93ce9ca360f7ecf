package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a running ffmpeg's renditions while it runs (the single pass's, or a chunked video's
 * first rendition and sound), so a video plays long before READY. ffmpeg writes each rendition as an EVENT playlist that lists a segment once it is closed;
 * every second this copies the newly listed segments (and the init section) to storage, then the
 * playlists as they stand, without {@code EXT-X-ENDLIST}, so players reload them and see them grow.
 *
 * <p>The video is marked playable once every rendition has a segment and the published part is long
 * enough to be watched from the start without stalling at the encode's measured speed {@code r}
 * (media seconds per second): a viewer starting now reaches second {@code x} after {@code x}
 * seconds, the encoder after {@code (x - published) / r}, so no stall needs
 * {@code published ≥ duration · (1 - r)}, with a safety margin on {@code r}. Faster than real time,
 * the first segment is enough. The master is written then, from the planned bitrates; the final
 * one, from measured figures, replaces it at READY. Nothing here decides READY: the checks run
 * on the complete output as before.
 */
class EarlyPublisher {

	private static final Logger log = LoggerFactory.getLogger(EarlyPublisher.class);

	/** The share of the measured encode speed trusted when deciding whether playback can keep up. */
	static final double SPEED_MARGIN = 0.8;

	/** One rendition ffmpeg is writing: its folder's name, and its quality (null for sound). */
	record Expected(String name, Plan.Quality quality) {
	}

	/** Writes to storage and the catalog. */
	interface Writes {
		void run() throws IOException;
	}

	/**
	 * Runs a round's playlists, master and catalog writes, or refuses them (false): the chunked
	 * transcode's sound job runs them under its plan's lock, and only while the plan is current and
	 * its sound not yet recorded, so no writer of another attempt, and nothing after the assembly
	 * began, comes between.
	 */
	interface Gate {
		boolean run(Writes writes) throws IOException;

		Gate OPEN = writes -> {
			writes.run();
			return true;
		};
	}

	private final BlobStore blobs;
	private final VideoCatalog catalog;
	private final String videoId;
	private final Path out;
	private final List<Expected> renditions;
	private final double durationSeconds;
	private final String master;
	private final List<Rendition> recorded;
	private final Integer width;
	private final Integer height;
	private final Set<String> uploaded = new HashSet<>();
	private final Map<String, String> publishedPlaylists = new LinkedHashMap<>();
	/** Segments a rendition's stored playlist listed before this publisher wrote it (an earlier attempt's). */
	private final Map<String, Integer> storedSegments = new LinkedHashMap<>();
	private Gate gate = Gate.OPEN;
	private volatile boolean playable;
	private volatile boolean running;
	private volatile Thread thread;

	EarlyPublisher(BlobStore blobs, VideoCatalog catalog, String videoId, Path out, List<Expected> renditions,
			double durationSeconds, String master, List<Rendition> recorded, Integer width, Integer height) {
		this.blobs = blobs;
		this.catalog = catalog;
		this.videoId = videoId;
		this.out = out;
		this.renditions = renditions;
		this.durationSeconds = durationSeconds;
		this.master = master;
		this.recorded = recorded;
		this.width = width;
		this.height = height;
	}

	/** Runs the playlists, master and catalog writes of each round through {@code gate} (the default: at once). */
	EarlyPublisher gated(Gate gate) {
		this.gate = gate;
		return this;
	}

	/** Starts publishing every second; {@code encodedSeconds} says how far ffmpeg has got. */
	void start(DoubleSupplier encodedSeconds, java.util.function.BooleanSupplier keepGoing) {
		long started = System.nanoTime();
		running = true;
		thread = Thread.ofVirtual().name("publish-" + videoId).start(() -> {
			while (running) {
				// Parked rather than asleep: stop() wakes it without an interrupt, which would break
				// a database file's channel (H2) if it came during a write.
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
				if (!running || !keepGoing.getAsBoolean()) {
					// Stopped, or another worker owns the job now and starts its files afresh.
					return;
				}
				try {
					double elapsed = (System.nanoTime() - started) / 1e9;
					publish(elapsed <= 0 ? 0 : encodedSeconds.getAsDouble() / elapsed);
				}
				catch (IOException | RuntimeException e) {
					// Early publishing is a bonus: READY does not depend on it.
					log.debug("video {}: could not publish early: {}", videoId, e.getMessage());
				}
			}
		});
	}

	/** Stops publishing; once this returns, nothing more is written. */
	void stop() throws InterruptedException {
		running = false;
		Thread t = thread;
		if (t != null) {
			java.util.concurrent.locks.LockSupport.unpark(t);
			t.join();
		}
	}

	/** The files stored so far, relative to the output folder ({@code 720p/seg_00003.m4s}). */
	Set<String> uploaded() {
		return Set.copyOf(uploaded);
	}

	boolean playable() {
		return playable;
	}

	/** One round: new segments, then the playlists, then (once) the master and the catalog. */
	void publish(double speed) throws IOException {
		String prefix = VideoFiles.renditions(videoId);
		double shortest = Double.MAX_VALUE;
		Map<String, String> playlists = new LinkedHashMap<>();
		for (Expected rendition : renditions) {
			Path folder = out.resolve(rendition.name());
			Listed listed = listed(folder.resolve(VideoFiles.PLAYLIST));
			if (listed == null || listed.segments().isEmpty()) {
				return;
			}
			for (String file : listed.files()) {
				String name = rendition.name() + "/" + file;
				if (!uploaded.contains(name)) {
					blobs.put(prefix + name, folder.resolve(file));
					// Only once stored: a put that failed is tried again, or left to the final store.
					uploaded.add(name);
				}
			}
			shortest = Math.min(shortest, listed.seconds());
			playlists.put(rendition.name(), listed.playlist());
		}
		if (!playable && shortest < durationSeconds * (1 - speed * SPEED_MARGIN) - 0.001) {
			return;
		}
		double published = shortest;
		boolean open = gate.run(() -> {
			for (var entry : playlists.entrySet()) {
				String key = prefix + entry.getKey() + "/" + VideoFiles.PLAYLIST;
				if (!entry.getValue().equals(publishedPlaylists.get(entry.getKey()))
						&& segments(entry.getValue()) >= storedSegments.computeIfAbsent(key, this::storedSegments)) {
					// Never shorter than what viewers were given: an earlier attempt's growing playlist
					// stays until this one has caught up with it.
					blobs.putText(key, entry.getValue());
					publishedPlaylists.put(entry.getKey(), entry.getValue());
				}
			}
			if (!playable) {
				blobs.putText(prefix + VideoFiles.MASTER, master);
				catalog.markPlayable(videoId, durationSeconds, width, height, recorded);
				playable = true;
				log.info("video {} playable with {} s of {} published (encoding at {}x real time)", videoId,
						String.format("%.1f", published), String.format("%.1f", durationSeconds), String.format("%.2f", speed));
			}
		});
		if (!open) {
			// Another attempt's now, or the assembly's: nothing more from this run.
			running = false;
		}
	}

	/** How many segments a playlist's text lists. */
	private static int segments(String playlist) {
		int count = 0;
		for (int at = playlist.indexOf("#EXTINF:"); at >= 0; at = playlist.indexOf("#EXTINF:", at + 1)) {
			count++;
		}
		return count;
	}

	/** How many segments the stored playlist {@code key} lists (0: none stored). */
	private int storedSegments(String key) {
		try {
			var info = blobs.stat(key);
			if (info.isEmpty()) {
				return 0;
			}
			try (var in = blobs.open(key, 0, info.get().size())) {
				return segments(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			}
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** What a rendition's playlist lists so far: whole segments only, as a playlist still growing. */
	record Listed(List<String> files, List<String> segments, double seconds, String playlist) {
	}

	/**
	 * Reads a playlist ffmpeg may be rewriting this instant: a segment counts once its line and the
	 * line break after it are there. The result is an EVENT playlist without an end.
	 */
	static Listed listed(Path playlist) throws IOException {
		if (!Files.exists(playlist)) {
			return null;
		}
		String text = Files.readString(playlist);
		int end = text.lastIndexOf('\n');
		if (end < 0) {
			return null;
		}
		List<String> files = new ArrayList<>();
		List<String> segments = new ArrayList<>();
		StringBuilder out = new StringBuilder();
		double seconds = 0;
		double pending = -1;
		String extinf = null;
		for (String line : text.substring(0, end).split("\n")) {
			if (line.startsWith("#EXT-X-ENDLIST")) {
				continue;
			}
			if (line.startsWith("#EXT-X-MAP:URI=\"")) {
				files.add(line.substring(16, line.indexOf('"', 16)));
				out.append(line).append('\n');
			}
			else if (line.startsWith("#EXTINF:")) {
				String value = line.substring("#EXTINF:".length());
				int comma = value.indexOf(',');
				pending = Double.parseDouble(comma >= 0 ? value.substring(0, comma) : value);
				extinf = line;
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				if (pending >= 0) {
					files.add(line.trim());
					segments.add(line.trim());
					seconds += pending;
					out.append(extinf).append('\n').append(line.trim()).append('\n');
				}
				pending = -1;
			}
			else if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) {
				out.append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
			}
			else {
				out.append(line).append('\n');
			}
		}
		return new Listed(files, segments, seconds, out.toString());
	}
}
