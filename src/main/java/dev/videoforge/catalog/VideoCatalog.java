package dev.videoforge.catalog;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.Ids;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The video aggregate's guarded state changes. Each transition is one conditional UPDATE, so
 * two processes racing on the same video (a re-sent upload chunk, a redelivered job) cannot
 * move it backwards or twice.
 */
@Service
public class VideoCatalog {

	private static final Logger log = LoggerFactory.getLogger(VideoCatalog.class);

	/** Allowed {@code sort} values of a listing and their ORDER BY. */
	private static final Map<String, String> SORTS = Map.ofEntries(Map.entry("newest", "created_at DESC"),
			Map.entry("oldest", "created_at ASC"), Map.entry("title", "LOWER(title) ASC"),
			Map.entry("-title", "LOWER(title) DESC"), Map.entry("createdAt", "created_at ASC"),
			Map.entry("-createdAt", "created_at DESC"), Map.entry("createdAt,asc", "created_at ASC"),
			Map.entry("createdAt,desc", "created_at DESC"), Map.entry("title,asc", "LOWER(title) ASC"),
			Map.entry("title,desc", "LOWER(title) DESC"), Map.entry("duration", "duration_seconds ASC"),
			Map.entry("-duration", "duration_seconds DESC"));

	private final VideoRepository videos;
	private final JdbcClient jdbc;
	private final BlobStore blobs;
	private final ApplicationEventPublisher events;
	private final CatalogSettings settings;

	VideoCatalog(VideoRepository videos, JdbcClient jdbc, BlobStore blobs, ApplicationEventPublisher events,
			CatalogSettings settings) {
		this.videos = videos;
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.events = events;
		this.settings = settings;
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC);
	}

	/** Checks title and description as a client sent them; returns the cleaned title. */
	public String validateTitle(String title) {
		if (title == null || title.isBlank()) {
			throw new Refusal.Invalid("invalid_title", "a title is required");
		}
		String trimmed = title.strip();
		if (trimmed.length() > settings.maxTitleLength()) {
			throw new Refusal.Invalid("invalid_title", "a title has at most " + settings.maxTitleLength() + " characters");
		}
		if (trimmed.chars().anyMatch(c -> Character.isISOControl(c))) {
			throw new Refusal.Invalid("invalid_title", "a title may not contain control characters");
		}
		return trimmed;
	}

	public String validateDescription(String description) {
		if (description == null) {
			return null;
		}
		if (description.length() > settings.maxDescriptionLength()) {
			throw new Refusal.Invalid("invalid_description",
					"a description has at most " + settings.maxDescriptionLength() + " characters");
		}
		return description;
	}

	/** Creates a video in UPLOADING for the caller. */
	public Video create(CurrentUser owner, String title, String description, Visibility visibility, String filename,
			Long uploadLength) {
		String id = Ids.newId();
		OffsetDateTime now = now();
		jdbc.sql("""
				INSERT INTO videos (id, owner_id, owner_username, title, description, visibility, status, progress,
				  original_filename, upload_length, created_at, updated_at, downloadable)
				VALUES (?, ?, ?, ?, ?, ?, 'UPLOADING', 0, ?, ?, ?, ?, ?)""")
				.params(id, owner.id(), owner.username(), validateTitle(title), validateDescription(description),
						visibility.name(), filename, uploadLength, now, now, settings.downloadableByDefault())
				.update();
		return videos.find(id).orElseThrow();
	}

	/**
	 * Locks the video's row until the caller's transaction ends, so work on one video from several
	 * processes (pieces of one upload, parts of one transcode) goes one at a time; its status, or
	 * empty when the video is gone. Deleting a video locks this row first too, so whoever locks it
	 * before its own rows takes the locks in the same order as a delete and cannot deadlock with it.
	 */
	public Optional<VideoStatus> lock(String videoId) {
		return jdbc.sql("SELECT status FROM videos WHERE id = ? FOR UPDATE").param(videoId).query(String.class).optional()
				.map(VideoStatus::valueOf);
	}

	public Optional<Video> find(String id) {
		if (!Ids.isValid(id)) {
			return Optional.empty();
		}
		return videos.find(id);
	}

	/** The video if the caller may see it; otherwise 404, as API.md asks (no hint that it exists). */
	public Video findVisible(String id, CurrentUser caller) {
		return find(id).filter(v -> v.visibleTo(caller)).orElseThrow(() -> Refusal.notFound("video"));
	}

	/** The video if the caller owns it (or is admin); 404 when not visible, 403 when visible but not theirs. */
	public Video findOwned(String id, CurrentUser caller) {
		Video video = findVisible(id, caller);
		if (!video.isOwnedBy(caller)) {
			throw new Refusal.Forbidden("forbidden", "only the owner or an admin may change this video");
		}
		return video;
	}

	public record Listing(List<Video> items, int page, int size, long total) {
	}

	/** READY PUBLIC videos plus the caller's own of any status (anonymous: only the former). */
	public Listing list(CurrentUser caller, String q, String sort, int page, int size) {
		String orderBy = checkListing(q, sort, page, size);
		VideoRepository.Page result = videos.list(caller == null ? null : caller.id(), q, orderBy, page, size);
		return new Listing(result.items(), page, size, result.total());
	}

	/** Only the caller's own videos, of every status and visibility ({@code ?owner=me}). */
	public Listing listOwn(CurrentUser caller, String q, String sort, int page, int size) {
		String orderBy = checkListing(q, sort, page, size);
		VideoRepository.Page result = videos.listOwnedBy(caller.id(), q, orderBy, page, size);
		return new Listing(result.items(), page, size, result.total());
	}

	/** Checks a listing's parameters; returns the ORDER BY of its sort. */
	private String checkListing(String q, String sort, int page, int size) {
		if (page < 0 || page > settings.maxPage()) {
			throw new Refusal.Invalid("invalid_page", "page is between 0 and " + settings.maxPage()
					+ "; search to narrow the list instead of paging deeper");
		}
		if (size < 1 || size > settings.maxPageSize()) {
			throw new Refusal.Invalid("invalid_size", "size is between 1 and " + settings.maxPageSize());
		}
		String orderBy = SORTS.get(sort == null || sort.isBlank() ? "newest" : sort.trim());
		if (orderBy == null) {
			throw new Refusal.Invalid("invalid_sort", "sort is one of newest, oldest, title, -title, duration, -duration");
		}
		if (q != null && q.length() > 200) {
			throw new Refusal.Invalid("invalid_query", "a search has at most 200 characters");
		}
		return orderBy;
	}

	/** Owner's edit of title, description, visibility; null leaves a field as it is. */
	public Video update(String id, CurrentUser caller, String title, String description, String visibility) {
		return update(id, caller, title, description, visibility, null);
	}

	/**
	 * As above, and the {@code downloadable} switch (null leaves it). The streaming role reads the
	 * switch on every download request, so turning it off stops downloads at once.
	 */
	public Video update(String id, CurrentUser caller, String title, String description, String visibility,
			Boolean downloadable) {
		Video video = findOwned(id, caller);
		// Everything is checked before anything is written: a refused field changes nothing.
		String newTitle = title == null ? video.title() : validateTitle(title);
		String newDescription = description == null ? video.description() : validateDescription(description);
		Visibility newVisibility = Visibility.parse(visibility, video.visibility());
		boolean newDownloadable = downloadable == null ? video.downloadable() : downloadable;
		// Setting PRIVATE (again, too) voids every playback link signed before (UrlSigner).
		String revoke = newVisibility == Visibility.PRIVATE && visibility != null ? ", signing_generation = signing_generation + 1" : "";
		jdbc.sql("UPDATE videos SET title = ?, description = ?, visibility = ?, downloadable = ?, updated_at = ?" + revoke
				+ " WHERE id = ?").params(newTitle, newDescription, newVisibility.name(), newDownloadable, now(), id).update();
		events.publishEvent(new VideoUpdated(id));
		return videos.find(id).orElseThrow(() -> Refusal.notFound("video"));
	}

	/**
	 * Makes {@code posterKey} (a file already stored in the video's renditions folder) its poster;
	 * false when the video is gone or no longer READY.
	 */
	public boolean replacePoster(String id, String posterKey) {
		return jdbc.sql("UPDATE videos SET poster_key = ?, has_thumbnail = TRUE, updated_at = ? WHERE id = ? AND status = 'READY'")
				.params(posterKey, now(), id).update() == 1;
	}

	/** Removes the video, its original and every rendition. */
	public void delete(String id, CurrentUser caller) {
		findOwned(id, caller);
		remove(id);
	}

	/**
	 * Removes the video and its stored files without an ownership check (for the system itself).
	 * Files go first: if that fails, the video is still there to delete again.
	 */
	public void remove(String id) {
		Video last = videos.find(id).orElse(null);
		// Links signed before stop working first, even if removing the files fails half-way.
		jdbc.sql("UPDATE videos SET signing_generation = signing_generation + 1 WHERE id = ?").param(id).update();
		deleteFiles(id);
		jdbc.sql("DELETE FROM videos WHERE id = ?").param(id).update();
		// A transcode that was storing files as we deleted them: sweep once more.
		deleteFiles(id);
		events.publishEvent(new VideoDeleted(id, last));
	}

	private void deleteFiles(String id) {
		try {
			blobs.delete(VideoFiles.original(id));
			blobs.deletePrefix(VideoFiles.renditions(id));
			blobs.deletePrefix(VideoFiles.logs(id));
			blobs.deletePrefix(VideoFiles.uploads(id));
		}
		catch (IOException e) {
			throw new UncheckedIOException("could not remove the files of video " + id, e);
		}
	}

	/** What an account holds: its videos, how many of them are unfinished uploads, and their bytes. */
	public record Usage(long videos, long openUploads, long bytes) {
	}

	public Usage usage(String ownerId) {
		return jdbc.sql("""
				SELECT COUNT(*) AS videos, COALESCE(SUM(CASE WHEN status = 'UPLOADING' THEN 1 ELSE 0 END), 0) AS open_uploads,
				  COALESCE(SUM(upload_length), 0) AS bytes FROM videos WHERE owner_id = ?""").param(ownerId)
				.query((rs, n) -> new Usage(rs.getLong("videos"), rs.getLong("open_uploads"), rs.getLong("bytes"))).single();
	}

	/**
	 * The video's signing generation, part of every playback signature: it grows when the video is
	 * made PRIVATE or deleted, which voids every link signed before. -1 when the video is gone.
	 */
	public long signingGeneration(String id) {
		return jdbc.sql("SELECT signing_generation FROM videos WHERE id = ?").param(id).query(Long.class).optional().orElse(-1L);
	}

	/** Ids of videos still UPLOADING that were created before {@code before} (candidates for expiry). */
	public List<String> uploadingSince(java.time.Instant before) {
		return jdbc.sql("SELECT id FROM videos WHERE status = 'UPLOADING' AND created_at < ?")
				.param(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)).query(String.class).list();
	}

	/** Ids of videos waiting for or in a transcode (QUEUED or PROCESSING), for the start-up reconciliation. */
	public List<String> awaitingTranscode() {
		return jdbc.sql("SELECT id FROM videos WHERE status IN ('QUEUED', 'PROCESSING')").query(String.class).list();
	}

	/**
	 * UPLOADING → QUEUED; false when it already moved on (a repeated final chunk). The change and
	 * {@link VideoUploaded} share one transaction (see the events' Javadoc).
	 */
	@Transactional
	public boolean markQueued(String id) {
		boolean done = jdbc.sql("UPDATE videos SET status = 'QUEUED', progress = 0, updated_at = ? WHERE id = ? AND status = 'UPLOADING'")
				.params(now(), id).update() == 1;
		if (done) {
			events.publishEvent(new VideoUploaded(id));
		}
		return done;
	}

	/** QUEUED (or a redelivered PROCESSING) → PROCESSING; false when the video is gone or final. */
	public boolean markProcessing(String id) {
		return jdbc.sql("""
				UPDATE videos SET status = 'PROCESSING', progress = 0, playable_at = NULL, updated_at = ?
				WHERE id = ? AND status IN ('QUEUED', 'PROCESSING')""").params(now(), id).update() == 1;
	}

	/**
	 * PROCESSING and not yet playable → playable: its first segments, playlists and master are
	 * stored, and the rest follow (API.md's {@code playable}). What it will be is known by now
	 * (length, size, qualities), so players and the gallery get it at once. False when it was
	 * playable already, or is no longer PROCESSING.
	 */
	@Transactional
	public boolean markPlayable(String id, double durationSeconds, Integer width, Integer height, List<Rendition> renditions) {
		boolean done = jdbc.sql("""
				UPDATE videos SET playable_at = ?, duration_seconds = ?, width = ?, height = ?, qualities = ?, updated_at = ?
				WHERE id = ? AND status = 'PROCESSING' AND playable_at IS NULL""")
				.params(now(), durationSeconds, width, height, Rendition.encode(renditions), now(), id).update() == 1;
		if (done) {
			log.info("video {} playable while PROCESSING: {} renditions", id, renditions.size());
			events.publishEvent(new VideoPlayable(id));
		}
		return done;
	}

	public void updateProgress(String id, int percent) {
		jdbc.sql("UPDATE videos SET progress = ?, updated_at = ? WHERE id = ? AND status = 'PROCESSING' AND progress < ?")
				.params(percent, now(), id, percent).update();
	}

	/** PROCESSING → READY with what the transcode produced; false when the video was deleted meanwhile. */
	@Transactional
	public boolean markReady(String id, double durationSeconds, Integer width, Integer height, List<Rendition> renditions,
			boolean hasThumbnail) {
		boolean done = jdbc.sql("""
				UPDATE videos SET status = 'READY', progress = 100, duration_seconds = ?, width = ?, height = ?,
				  qualities = ?, has_thumbnail = ?, error = NULL, updated_at = ?
				WHERE id = ? AND status = 'PROCESSING'""")
				.params(durationSeconds, width, height, Rendition.encode(renditions), hasThumbnail, now(), id).update() == 1;
		if (done) {
			log.info("video {} READY: {} qualities {}", id, renditions.size(), renditions.stream().map(Rendition::name).toList());
			events.publishEvent(new VideoReady(id));
		}
		return done;
	}

	/** An attempt failed and the job will be retried: back to QUEUED, with the reason. */
	public void markRetrying(String id, String error) {
		jdbc.sql("UPDATE videos SET status = 'QUEUED', progress = 0, playable_at = NULL, error = ?, updated_at = ? WHERE id = ? AND status = 'PROCESSING'")
				.params(truncate("retrying after: " + error), now(), id).update();
	}

	/** FAILED → QUEUED, when an administrator runs its dead-lettered job again. */
	public boolean requeue(String id) {
		return jdbc.sql("UPDATE videos SET status = 'QUEUED', progress = 0, error = NULL, updated_at = ? WHERE id = ? AND status = 'FAILED'")
				.params(now(), id).update() == 1;
	}

	/**
	 * Any state but READY/FAILED → FAILED with a sentence a person can read; true when this call
	 * made it FAILED (a video already FAILED only gets the newer sentence).
	 */
	@Transactional
	public boolean markFailed(String id, String error) {
		// Two guarded steps so that VideoFailed is published once, when the video becomes FAILED;
		// a video already FAILED only gets the newer sentence, as before.
		boolean became = jdbc.sql("UPDATE videos SET status = 'FAILED', error = ?, updated_at = ? WHERE id = ? AND status NOT IN ('READY', 'FAILED')")
				.params(truncate(error), now(), id).update() == 1;
		if (became) {
			events.publishEvent(new VideoFailed(id, truncate(error)));
			log.info("video {} FAILED: {}", id, error);
		}
		else if (jdbc.sql("UPDATE videos SET error = ?, updated_at = ? WHERE id = ? AND status = 'FAILED'")
				.params(truncate(error), now(), id).update() == 1) {
			log.info("video {} FAILED (again): {}", id, error);
		}
		return became;
	}

	private static String truncate(String error) {
		return error == null || error.length() <= 1900 ? error : error.substring(0, 1900) + "…";
	}
}
