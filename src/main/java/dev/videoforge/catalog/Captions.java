package dev.videoforge.catalog;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.catalog.internal.CaptionParser;
import dev.videoforge.catalog.internal.WebVtt;
import dev.videoforge.shared.Refusal;
import dev.videoforge.storage.BlobInfo;
import dev.videoforge.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A video's caption tracks. Every track, uploaded or extracted from the source, goes through the
 * same strict parser and cleaner ({@link CaptionParser}) and is stored re-written, never as it
 * came: the whole track as one WebVTT file and as a segmented WebVTT rendition cut on the video's
 * own segment boundaries. Files are stored before the row that lists them, so a listed track
 * always has its files; the master playlist lists the rows (streaming adds them when serving it).
 */
@Service
public class Captions {

	private static final Logger log = LoggerFactory.getLogger(Captions.class);

	/**
	 * The shape of a BCP 47 tag (RFC 5646 §2.1, without extlang and extensions): language,
	 * optional script, region, variants and private use. {@link Locale#forLanguageTag} must then
	 * give the same tag back, which also rules out deprecated tags it rewrites ({@code iw}).
	 */
	private static final Pattern BCP47 = Pattern.compile(
			"(?i)[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\\d{3}))?(?:-(?:[a-z0-9]{5,8}|\\d[a-z0-9]{3}))*(?:-x(?:-[a-z0-9]{1,8})+)?");

	/** ISO 639-2 bibliographic codes (what Matroska writes) whose terminology code Java knows instead. */
	private static final Map<String, String> BIBLIOGRAPHIC = Map.ofEntries(Map.entry("fre", "fr"), Map.entry("ger", "de"),
			Map.entry("chi", "zh"), Map.entry("dut", "nl"), Map.entry("gre", "el"), Map.entry("per", "fa"),
			Map.entry("cze", "cs"), Map.entry("rum", "ro"), Map.entry("slo", "sk"), Map.entry("alb", "sq"),
			Map.entry("arm", "hy"), Map.entry("baq", "eu"), Map.entry("bur", "my"), Map.entry("geo", "ka"),
			Map.entry("ice", "is"), Map.entry("mac", "mk"), Map.entry("mao", "mi"), Map.entry("may", "ms"),
			Map.entry("tib", "bo"), Map.entry("wel", "cy"));

	private final JdbcClient jdbc;
	private final BlobStore blobs;
	private final VideoCatalog catalog;
	private final CaptionSettings settings;
	/** Files are written here, then moved in: on the data disk, so a local store renames them in place. */
	private final Path tmp;

	Captions(JdbcClient jdbc, BlobStore blobs, VideoCatalog catalog, CaptionSettings settings,
			@Value("${videoforge.data-dir}") Path dataDir) {
		this.jdbc = jdbc;
		this.blobs = blobs;
		this.catalog = catalog;
		this.settings = settings;
		this.tmp = dataDir.resolve("tmp");
	}

	/** The video's tracks, by language. */
	public List<CaptionTrack> list(String videoId) {
		return jdbc.sql("SELECT language, label, source, created_at FROM caption_tracks WHERE video_id = ? ORDER BY language")
				.param(videoId).query((rs, n) -> new CaptionTrack(rs.getString("language"), rs.getString("label"),
						rs.getString("source"), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
				.list();
	}

	/** The tracks of several videos at once (a gallery page), by video id; videos without tracks are left out. */
	public Map<String, List<CaptionTrack>> list(Collection<String> videoIds) {
		Map<String, List<CaptionTrack>> byVideo = new LinkedHashMap<>();
		if (videoIds.isEmpty()) {
			return byVideo;
		}
		jdbc.sql("SELECT video_id, language, label, source, created_at FROM caption_tracks WHERE video_id IN (:ids) ORDER BY language")
				.param("ids", videoIds).query((rs, n) -> {
					byVideo.computeIfAbsent(rs.getString("video_id"), k -> new ArrayList<>())
							.add(new CaptionTrack(rs.getString("language"), rs.getString("label"), rs.getString("source"),
									rs.getObject("created_at", OffsetDateTime.class).toInstant()));
					return null;
				}).list();
		return byVideo;
	}

	/**
	 * The owner's upload: stored when it parses, replacing the track of the same language. 404/403
	 * as for any change to the video; 409 before READY (a transcode rewrites the video's files);
	 * 413 over the size limit; 415 not WebVTT/SubRip text; 422 refused cues; 400 bad language or label.
	 */
	public CaptionTrack upload(String videoId, CurrentUser caller, InputStream file, String language, String label)
			throws IOException {
		Video video = catalog.findOwned(videoId, caller);
		if (video.status() != VideoStatus.READY || video.renditions().isEmpty()) {
			throw new Refusal.Conflict("not_ready", "captions can be added once the video is READY; it is " + video.status());
		}
		String tag = language(language);
		String cleanLabel = label(label);
		long max = settings.maxBytes().toBytes();
		byte[] bytes = file.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
		if (bytes.length > max) {
			throw new Refusal.TooLarge("caption_too_large",
					"a caption file has at most " + max + " bytes");
		}
		if (list(video.id()).stream().noneMatch(t -> t.language().equals(tag))
				&& list(video.id()).size() >= settings.maxTracks()) {
			throw new Refusal.Conflict("too_many_captions", "a video has at most " + settings.maxTracks() + " caption tracks");
		}
		List<CaptionParser.Cue> cues = CaptionParser.parse(bytes, limits(video.durationSeconds()));
		List<Double> lengths = segmentLengths(video.id(), video.renditions().get(0).name());
		return store(video.id(), tag, cleanLabel, CaptionTrack.UPLOADED, cues, lengths, video.durationSeconds());
	}

	/** Removes one track: the row first (the master playlist stops naming it), then its files. 404 when there is none. */
	public void delete(String videoId, CurrentUser caller, String language) throws IOException {
		Video video = catalog.findOwned(videoId, caller);
		String tag = language(language);
		int removed = jdbc.sql("DELETE FROM caption_tracks WHERE video_id = ? AND language = ?").params(video.id(), tag).update();
		if (removed == 0) {
			throw Refusal.notFound("caption track");
		}
		blobs.deletePrefix(VideoFiles.renditions(video.id()) + new CaptionTrack(tag, "", "", null).folder());
	}

	/** Forgets the embedded tracks of a video whose files a new transcode attempt is rewriting. */
	public void clearEmbedded(String videoId) {
		jdbc.sql("DELETE FROM caption_tracks WHERE video_id = ? AND source = ?").params(videoId, CaptionTrack.EMBEDDED).update();
	}

	/**
	 * A subtitle stream the transcoder extracted (as WebVTT) from the source, cleaned and stored
	 * like an upload, after the video's renditions are stored ({@code rendition} names the one whose
	 * segments the captions follow). {@code streamLanguage} is the stream's tag (ISO 639-2, as
	 * containers write it), {@code title} its title; a second stream of a language already taken
	 * becomes a private-use variant ({@code en-x-s3}). Refusals come back as the exception.
	 */
	public CaptionTrack addEmbedded(String videoId, String rendition, int streamIndex, String streamLanguage, String title,
			byte[] vtt, double durationSeconds) throws IOException {
		String tag = fromStreamTag(streamLanguage);
		Set<String> taken = new HashSet<>(list(videoId).stream().map(CaptionTrack::language).toList());
		if (taken.size() >= settings.maxTracks()) {
			throw new Refusal.Conflict("too_many_captions", "a video has at most " + settings.maxTracks() + " caption tracks");
		}
		if (taken.contains(tag)) {
			tag = language(tag + "-x-s" + streamIndex);
		}
		String label = title == null || title.isBlank() ? labelFor(tag) : title;
		label = label.codePoints().filter(c -> !Character.isISOControl(c)).collect(StringBuilder::new,
				StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
		if (label.length() > settings.maxLabelLength()) {
			label = label.substring(0, settings.maxLabelLength());
		}
		if (label.isEmpty()) {
			label = labelFor(tag);
		}
		if (vtt.length > settings.maxBytes().toBytes()) {
			throw new Refusal.TooLarge("caption_too_large",
					"a caption track has at most " + settings.maxBytes().toBytes() + " bytes");
		}
		List<CaptionParser.Cue> cues = CaptionParser.parse(vtt, limits(durationSeconds));
		return store(videoId, tag, label, CaptionTrack.EMBEDDED, cues, segmentLengths(videoId, rendition), durationSeconds);
	}

	private CaptionParser.Limits limits(Double durationSeconds) {
		double duration = durationSeconds == null ? 0 : durationSeconds;
		return new CaptionParser.Limits(settings.maxCues(), settings.maxCueLength(),
				Math.round(duration * 1000) + settings.timingMargin().toMillis());
	}

	/** Files first (the whole file, the segments, the playlist), stale segments of an earlier version after, the row last. */
	private CaptionTrack store(String videoId, String language, String label, String source, List<CaptionParser.Cue> cues,
			List<Double> lengths, Double duration) throws IOException {
		CaptionTrack track = new CaptionTrack(language, label, source, java.time.Instant.now());
		String prefix = VideoFiles.renditions(videoId);
		WebVtt.Segmented segmented;
		try {
			// Sixteen times the largest file: a real track's cues span one or two segments each.
			segmented = WebVtt.segment(cues, lengths, duration == null ? 0 : duration, 16 * settings.maxBytes().toBytes());
		}
		catch (WebVtt.TooLarge e) {
			throw new Refusal.Unacceptable("invalid_caption",
					"the cues last too long: each may span a few segments of the video, not most of it");
		}
		Set<String> written = new HashSet<>();
		put(prefix + track.vttPath(), WebVtt.write(cues), written);
		for (int i = 0; i < segmented.segments().size(); i++) {
			put(prefix + track.folder() + WebVtt.segmentName(i), segmented.segments().get(i), written);
		}
		put(prefix + track.playlistPath(), segmented.playlist(), written);
		for (String key : blobs.list(prefix + track.folder())) {
			if (!written.contains(key)) {
				blobs.delete(key);
			}
		}
		OffsetDateTime now = OffsetDateTime.ofInstant(track.createdAt(), ZoneOffset.UTC);
		try {
			int updated = jdbc.sql("UPDATE caption_tracks SET label = ?, source = ?, created_at = ? WHERE video_id = ? AND language = ?")
					.params(label, source, now, videoId, language).update();
			if (updated == 0) {
				jdbc.sql("INSERT INTO caption_tracks (video_id, language, label, source, created_at) VALUES (?, ?, ?, ?, ?)")
						.params(videoId, language, label, source, now).update();
			}
		}
		catch (DataIntegrityViolationException e) {
			if (catalog.find(videoId).isEmpty()) {
				blobs.deletePrefix(prefix + track.folder());
				throw Refusal.notFound("video");
			}
			// Two uploads of the same language at once: the other one's row is there; ours is its newer version.
			jdbc.sql("UPDATE caption_tracks SET label = ?, source = ?, created_at = ? WHERE video_id = ? AND language = ?")
					.params(label, source, now, videoId, language).update();
		}
		log.info("video {}: {} caption track {} stored ({} cues)", videoId, source, language, cues.size());
		return track;
	}

	private void put(String key, String text, Set<String> written) throws IOException {
		Files.createDirectories(tmp);
		Path file = Files.createTempFile(tmp, "caption-", ".tmp");
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
			blobs.moveIn(key, file);
			written.add(key);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	/** The EXTINF lengths of one of the video's renditions, which the caption segments follow. */
	private List<Double> segmentLengths(String videoId, String rendition) throws IOException {
		String key = VideoFiles.renditions(videoId) + rendition + "/" + VideoFiles.PLAYLIST;
		// A READY video's playlist missing is a storage fault, not the caller's: 503, as for storage down.
		BlobInfo info = blobs.stat(key).orElseThrow(() -> new Refusal.Unavailable("unavailable",
				"the video's files cannot be read now; try again shortly", 10L));
		try (InputStream in = blobs.open(key, 0, info.size())) {
			return WebVtt.segmentLengths(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	/** A BCP 47 tag as a client sent it, in canonical case; 400 when it is not one. */
	public static String language(String tag) {
		if (tag == null || tag.isBlank() || tag.length() > 35 || !BCP47.matcher(tag.strip()).matches()) {
			throw new Refusal.Invalid("invalid_language", "language is a BCP 47 tag such as en, pt-BR or zh-Hant");
		}
		String canonical = Locale.forLanguageTag(tag.strip()).toLanguageTag();
		if (!canonical.equalsIgnoreCase(tag.strip())) {
			throw new Refusal.Invalid("invalid_language",
					"language is a current BCP 47 tag such as en, pt-BR or zh-Hant (\"" + canonical + "\" rather than the one sent?)");
		}
		return canonical;
	}

	/** A label as a client sent it: 1 to max-label-length characters, no control characters. */
	public String label(String label) {
		if (label == null || label.isBlank()) {
			throw new Refusal.Invalid("invalid_label", "a label (what the captions menu shows, e.g. \"English\") is required");
		}
		String stripped = label.strip();
		if (stripped.length() > settings.maxLabelLength()) {
			throw new Refusal.Invalid("invalid_label", "a label has at most " + settings.maxLabelLength() + " characters");
		}
		if (stripped.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
			throw new Refusal.Invalid("invalid_label", "a label may not contain control characters");
		}
		return stripped;
	}

	/** A container's language tag (ISO 639-2 such as {@code eng}, or already BCP 47) as BCP 47; {@code und} when unknown. */
	public static String fromStreamTag(String tag) {
		if (tag == null || tag.isBlank()) {
			return "und";
		}
		String lower = tag.strip().toLowerCase(Locale.ROOT);
		if (BIBLIOGRAPHIC.containsKey(lower)) {
			return BIBLIOGRAPHIC.get(lower);
		}
		if (lower.length() == 3) {
			for (String two : Locale.getISOLanguages()) {
				try {
					if (Locale.of(two).getISO3Language().equals(lower)) {
						return two;
					}
				}
				catch (java.util.MissingResourceException e) {
					// no three-letter code for this one
				}
			}
		}
		try {
			return language(lower);
		}
		catch (Refusal e) {
			return "und";
		}
	}

	private static String labelFor(String tag) {
		String name = Locale.forLanguageTag(tag).getDisplayLanguage(Locale.ENGLISH);
		return name.isEmpty() || tag.startsWith("und") ? "Subtitles" : name;
	}
}
