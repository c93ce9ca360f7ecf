package dev.videoforge.catalog.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.catalog.Rendition;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.media.NotMediaException;
import dev.videoforge.media.StillImages;
import dev.videoforge.shared.Ids;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.ScratchFolder;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The owner's choice of poster: a frame of the video at a time, or an uploaded image. Either
 * becomes a JPEG of the transcoder's poster size (the first quality whose short side is at most
 * 720, as {@code LadderPlanner} picks it), stored under a new random name in the video's
 * renditions folder before the catalog points at it. A new name, because posters are served with
 * {@code immutable} cache headers: a changed {@code thumbnailUrl} is what makes browsers and CDNs
 * fetch the new picture; the folder, because deleting the video removes it with the rest. The
 * frame comes from our own top rendition (the original may be gone or hostile), the uploaded image
 * is checked and redrawn by {@link StillImages} and never stored as sent.
 */
@Service
class Posters {

	private static final Logger log = LoggerFactory.getLogger(Posters.class);

	private final VideoCatalog catalog;
	private final BlobStore blobs;
	private final StillImages images;
	private final CatalogSettings settings;
	private final Path tmp;
	/** ffmpeg runs at once for posters in this process: one per core, the rest wait a little, then 503. */
	private final Semaphore slots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

	Posters(VideoCatalog catalog, BlobStore blobs, StillImages images, CatalogSettings settings,
			@Value("${videoforge.data-dir}") Path dataDir) {
		this.catalog = catalog;
		this.blobs = blobs;
		this.images = images;
		this.settings = settings;
		this.tmp = dataDir.resolve("tmp");
	}

	/** The frame at {@code atSeconds} (0 ≤ t < duration) becomes the poster. */
	Video fromTime(String id, CurrentUser caller, Double atSeconds) throws IOException {
		Video video = pictureVideo(id, caller);
		double duration = video.durationSeconds() == null ? 0 : video.durationSeconds();
		if (atSeconds == null || atSeconds.isNaN() || atSeconds < 0 || atSeconds >= duration) {
			throw new Refusal.Invalid("invalid_time", "atSeconds is a time in the video, from 0 to less than "
					+ String.format(java.util.Locale.ROOT, "%.3f", duration) + " s");
		}
		Rendition top = video.renditions().stream().filter(r -> r.width() > 0)
				.max(Comparator.comparingInt(r -> r.width() * r.height())).orElseThrow();
		Rendition size = posterSize(video);
		return withWorkDir(work -> {
			Path playlist = localRendition(video, top, work);
			Path jpeg = work.resolve("poster.jpg");
			try {
				images.frameAt(playlist, atSeconds, size.width(), size.height(), jpeg, settings.posterTimeout());
			}
			catch (NotMediaException e) {
				// Our own rendition, a time inside it: a failure here is ours, not the caller's.
				log.warn("no frame at {} s of video {}: {}", atSeconds, id, e.getMessage());
				throw new Refusal.Unavailable("unavailable",
						"the server could not draw that frame now; try again shortly", 10L);
			}
			return install(video, jpeg);
		});
	}

	/** An uploaded JPEG, PNG or WebP image becomes the poster, redrawn as our own JPEG. */
	Video fromImage(String id, CurrentUser caller, long size, InputStream content) throws IOException {
		Video video = pictureVideo(id, caller);
		if (size > settings.posterMaxImageSize().toBytes()) {
			throw new Refusal.TooLarge("too_large",
					"a poster image is at most " + settings.posterMaxImageSize().toMegabytes() + " MB");
		}
		Rendition poster = posterSize(video);
		return withWorkDir(work -> {
			// No extension: ffprobe must decide by the bytes, not by a name the client chose.
			Path upload = work.resolve("upload");
			try (InputStream in = content) {
				Files.copy(in, upload, StandardCopyOption.REPLACE_EXISTING);
			}
			if (Files.size(upload) > settings.posterMaxImageSize().toBytes()) {
				throw new Refusal.TooLarge("too_large",
						"a poster image is at most " + settings.posterMaxImageSize().toMegabytes() + " MB");
			}
			Path jpeg = work.resolve("poster.jpg");
			try {
				StillImages.ImageInfo info = images.probe(upload, settings.posterMaxImagePixels(), settings.posterTimeout());
				images.toJpeg(upload, info, poster.width(), poster.height(), settings.posterMaxImagePixels(), jpeg,
						settings.posterTimeout());
			}
			catch (NotMediaException e) {
				throw new Refusal.UnsupportedType("unsupported_media",
						"the poster must be a JPEG, PNG or WebP image: " + e.getMessage());
			}
			return install(video, jpeg);
		});
	}

	/** The owner's READY video with a picture; 409 otherwise. */
	private Video pictureVideo(String id, CurrentUser caller) {
		Video video = catalog.findOwned(id, caller);
		if (video.status() != VideoStatus.READY) {
			throw new Refusal.Conflict("not_ready", "the video is " + video.status() + "; its poster can be chosen once it is READY");
		}
		if (video.renditions().stream().noneMatch(r -> r.width() > 0)) {
			throw new Refusal.Conflict("no_picture", "the video is audio only: it has no poster");
		}
		return video;
	}

	/** The transcoder's poster size: the first quality (top first) whose short side is at most 720, else the smallest. */
	static Rendition posterSize(Video video) {
		List<Rendition> qualities = video.renditions().stream().filter(r -> r.width() > 0)
				.sorted(Comparator.comparingInt((Rendition r) -> r.width() * r.height()).reversed()).toList();
		return qualities.stream().filter(r -> Math.min(r.width(), r.height()) <= 720).findFirst().orElse(qualities.getLast());
	}

	/** The rendition's playlist on this disk: in place for a local store, else copied here. */
	private Path localRendition(Video video, Rendition rendition, Path work) throws IOException {
		return blobs.localFolder(VideoFiles.renditions(video.id()) + rendition.name() + "/", VideoFiles.PLAYLIST,
				work.resolve("rendition"));
	}

	/** Stores the JPEG under a new name, points the video at it, then removes the poster it replaced. */
	private Video install(Video video, Path jpeg) throws IOException {
		String name = "poster-" + Ids.newId() + ".jpg";
		String key = VideoFiles.renditions(video.id()) + name;
		blobs.moveIn(key, jpeg);
		if (!catalog.replacePoster(video.id(), name)) {
			blobs.delete(key);
			throw new Refusal.Conflict("not_ready", "the video changed while its poster was made; try again");
		}
		if (video.posterKey() != null) {
			try {
				blobs.delete(VideoFiles.renditions(video.id()) + video.posterKey());
			}
			catch (IOException e) {
				// Left in the video's folder: removed with the video.
				log.warn("could not remove the old poster of video {}: {}", video.id(), e.toString());
			}
		}
		return catalog.find(video.id()).orElseThrow(() -> Refusal.notFound("video"));
	}

	private interface Work {
		Video run(Path work) throws IOException;
	}

	private Video withWorkDir(Work body) throws IOException {
		try {
			if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new Refusal.Unavailable("busy", "the server is making other posters; try again shortly", 5L);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Refusal.Unavailable("unavailable", "the server is stopping; try again shortly", 5L);
		}
		try (ScratchFolder work = ScratchFolder.in(tmp, "poster-")) {
			return body.run(work.path());
		}
		finally {
			slots.release();
		}
	}
}
