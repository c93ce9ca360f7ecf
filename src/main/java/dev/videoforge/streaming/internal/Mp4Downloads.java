package dev.videoforge.streaming.internal;

import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.media.MediaTools;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.ScratchFolder;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobStore;
import dev.videoforge.streaming.StreamingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The MP4 file of one quality, for downloads: the rendition's fMP4 HLS and the video's default
 * audio rendition (or, for a video made before audio had its own renditions, the sound muxed in
 * the quality) copied into one MP4 by ffmpeg, streams copied, not re-encoded, {@code moov} moved before
 * {@code mdat} ({@code +faststart}) so that a player starts before the whole file is there. Made
 * once, on the first request, and kept in the BlobStore at {@code renditions/<id>/_download/<q>.mp4}:
 * any streaming process serves it, deleting the video removes it, and the underscore keeps the
 * stream file route (which allows only {@code [a-z0-9]} folders) from serving it without the
 * {@code downloadable} check. Our own playlist is still read the careful way, in the sandbox with
 * the HLS demuxer allowed only for it and local files only, under a time and size cap.
 * <p>
 * Concurrent first requests in one process share one remux; ffmpeg writes in a private folder and
 * the result is moved in whole (the store's writes are atomic), so no one is served a half-written
 * file. Two processes may both make it; the second replaces the first with the same content.
 */
@Component
class Mp4Downloads {

	private static final Logger log = LoggerFactory.getLogger(Mp4Downloads.class);

	private final BlobStore blobs;
	private final MediaTools tools;
	private final VideoCatalog catalog;
	private final StreamingSettings settings;
	private final Path tmp;
	private final ExecutorService remuxers;
	private final Map<String, CompletableFuture<BlobInfo>> inFlight = new ConcurrentHashMap<>();

	Mp4Downloads(BlobStore blobs, MediaTools tools, VideoCatalog catalog, StreamingSettings settings,
			@Value("${videoforge.data-dir}") Path dataDir) {
		this.blobs = blobs;
		this.tools = tools;
		this.catalog = catalog;
		this.settings = settings;
		this.tmp = dataDir.resolve("tmp");
		this.remuxers = Executors.newFixedThreadPool(Math.max(1, settings.maxConcurrentRemuxes()),
				Thread.ofPlatform().name("mp4-remux-", 0).daemon().factory());
	}

	static String key(String videoId, String quality) {
		return VideoFiles.download(videoId, quality);
	}

	/**
	 * The stored MP4 of the rendition, made now when there is none; 503 with Retry-After when it
	 * takes longer than the configured wait (it goes on being made).
	 */
	BlobInfo ensure(Video video, Rendition rendition) throws IOException {
		String key = key(video.id(), rendition.name());
		var stored = blobs.stat(key);
		if (stored.isPresent()) {
			return stored.get();
		}
		CompletableFuture<BlobInfo> mine = new CompletableFuture<>();
		CompletableFuture<BlobInfo> running = inFlight.putIfAbsent(key, mine);
		if (running == null) {
			running = mine;
			remuxers.submit(() -> {
				try {
					// Made by a request that finished just before this one looked? Then nothing to do.
					mine.complete(blobs.stat(key).isPresent() ? blobs.stat(key).get() : make(video, rendition, key));
				}
				catch (Throwable e) {
					mine.completeExceptionally(e);
				}
				finally {
					inFlight.remove(key, mine);
				}
			});
		}
		try {
			return running.get(settings.downloadWait().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException e) {
			throw new Refusal.Unavailable("preparing",
					"the MP4 of this quality is being made; try again shortly", 10L);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Refusal.Unavailable("unavailable", "the server is stopping; try again shortly", 5L);
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof Refusal api) {
				throw api;
			}
			if (e.getCause() instanceof UncheckedIOException missing) {
				// No ffmpeg here (the Lambda image): a streaming service with ffmpeg can make it.
				log.warn("cannot make the MP4 {}: {}", key, missing.getMessage());
				throw new Refusal.Unavailable("unavailable",
						"this server cannot make the MP4 of this quality now; try again later", 30L);
			}
			// Our own rendition did not copy (a storage hiccup, a full disk): logged, and the client may try again.
			log.error("could not make the MP4 {}", key, e.getCause());
			throw new Refusal.Unavailable("unavailable",
					"the MP4 of this quality could not be made now; try again later", 30L);
		}
	}

	private BlobInfo make(Video video, Rendition rendition, String key) throws IOException {
		try (ScratchFolder work = ScratchFolder.in(tmp, "download-")) {
			long started = System.nanoTime();
			Path out = Files.createDirectories(work.resolve("out"));
			Rendered input = localRendition(video.id(), rendition.name(), work.resolve("source"));
			// The pictures of a quality play with the default audio track (none: silent, or muxed in).
			Rendered sound = rendition.hasPicture() && video.defaultAudio().isPresent()
					? localRendition(video.id(), video.defaultAudio().get().name(), work.resolve("sound"))
					: null;
			List<Path> playlists = sound == null ? List.of(input.playlist()) : List.of(input.playlist(), sound.playlist());
			long bytes = input.bytes() + (sound == null ? 0 : sound.bytes());
			Path mp4 = out.resolve("download.mp4");
			MediaTools.Result result = tools.run(remux(tools.ffmpeg(), playlists, mp4),
					playlists.stream().map(Path::getParent).distinct().toList(), out, settings.downloadRemuxTimeout(),
					2 * bytes + 16L * 1024 * 1024, 64 * 1024);
			if (!result.succeeded() || !Files.isRegularFile(mp4) || Files.size(mp4) == 0) {
				throw new IllegalStateException("ffmpeg could not copy the " + rendition.name() + " rendition of video "
						+ video.id() + " into an MP4: " + result.reason());
			}
			blobs.moveIn(key, mp4);
			if (catalog.find(video.id()).isEmpty()) {
				// Deleted while we worked: its folder was swept before this file arrived.
				blobs.delete(key);
				throw Refusal.notFound("video");
			}
			log.info("video {}: MP4 download of {} made in {} ms", video.id(), rendition.name(),
					(System.nanoTime() - started) / 1_000_000);
			return blobs.stat(key).orElseThrow(() -> Refusal.notFound("file"));
		}
	}

	private record Rendered(Path playlist, long bytes) {
	}

	/** The rendition's playlist on this disk: in place for a local store, else copied into {@code folder}. */
	private Rendered localRendition(String videoId, String quality, Path folder) throws IOException {
		String prefix = VideoFiles.renditions(videoId) + quality + "/";
		List<String> keys = blobs.list(prefix).stream().filter(k -> !k.substring(prefix.length()).contains("/")).toList();
		if (keys.isEmpty()) {
			throw Refusal.notFound("quality");
		}
		long bytes = 0;
		for (String key : keys) {
			bytes += blobs.stat(key).map(BlobInfo::size).orElse(0L);
		}
		return new Rendered(blobs.localFolder(prefix, VideoFiles.PLAYLIST, folder), bytes);
	}

	/**
	 * The remux, as data: our own playlists (HLS and its fMP4 segments only, local files only): the
	 * first picture of the first and the first sound of the last (the same one when there is one
	 * playlist) copied as they are into a faststart MP4.
	 */
	static List<String> remux(String ffmpeg, List<Path> playlists, Path target) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error"));
		for (Path playlist : playlists) {
			args.addAll(List.of("-f", "hls", "-format_whitelist", "hls,mov", "-protocol_whitelist", "file", "-i",
					"file:" + playlist.toAbsolutePath()));
		}
		int sound = playlists.size() - 1;
		args.addAll(List.of("-map", "0:v:0?", "-map", sound + ":a:0?", "-c", "copy", "-map_metadata", "-1", "-movflags",
				"+faststart", "-f", "mp4", "file:" + target.toAbsolutePath()));
		return args;
	}
}
