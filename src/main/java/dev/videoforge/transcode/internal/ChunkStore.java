package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoCatalog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state of chunked transcodes in the database every processor shares: one plan per video
 * (replaced by each new attempt) and the parts stored so far. Each part is recorded once: a chunk
 * whose job runs twice (its first worker died after storing it) finds it recorded and moves on.
 */
class ChunkStore {

	/** Strict: a plan row of another shape (another version wrote it) is an error, not a plan with parts missing. */
	private static final JsonMapper JSON = JsonMapper.builder()
			.enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

	/** One stored rendition of one part: its segments in order. */
	record Segment(String uri, double seconds, long bytes) {
	}

	/** One rendition of one part: its init section's name and its segments in order. */
	record Track(String init, java.util.List<Segment> segments) {
	}

	/** What a part stored, per rendition name. */
	record Part(Map<String, Track> renditions) {
	}

	private final JdbcClient jdbc;
	private final VideoCatalog catalog;

	ChunkStore(JdbcClient jdbc, VideoCatalog catalog) {
		this.catalog = catalog;
		this.jdbc = jdbc;
	}

	/** Replaces the video's plan (and forgets the parts of an earlier one). */
	void save(ChunkPlan plan) {
		// The folder starts afresh: nothing in it is due for removal any more.
		jdbc.sql("DELETE FROM expiring_renditions WHERE video_id = ?").param(plan.videoId()).update();
		jdbc.sql("DELETE FROM transcode_part_progress WHERE video_id = ?").param(plan.videoId()).update();
		jdbc.sql("DELETE FROM transcode_parts WHERE video_id = ?").param(plan.videoId()).update();
		jdbc.sql("DELETE FROM transcode_plans WHERE video_id = ?").param(plan.videoId()).update();
		jdbc.sql("INSERT INTO transcode_plans (video_id, plan_id, plan, started_at) VALUES (?, ?, ?, ?)")
				.params(plan.videoId(), plan.planId(), JSON.writeValueAsString(plan), now()).update();
	}

	Optional<ChunkPlan> plan(String videoId) {
		return jdbc.sql("SELECT plan FROM transcode_plans WHERE video_id = ?").param(videoId).query(String.class).optional()
				.map(text -> JSON.readValue(text, ChunkPlan.class));
	}

	/** The plan row, locked until the transaction ends: parts finishing at once publish one after another. */
	Optional<Instant> lock(String videoId, String planId) {
		// The video's row first: deleting a video locks it before its plan (the cascade).
		catalog.lock(videoId);
		return jdbc.sql("SELECT started_at FROM transcode_plans WHERE video_id = ? AND plan_id = ? FOR UPDATE")
				.params(videoId, planId).query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant);
	}

	/** Records a stored part; false when it was recorded already. */
	boolean record(String videoId, String planId, String part, Part result) {
		if (done(videoId, planId).containsKey(part)) {
			return false;
		}
		try {
			jdbc.sql("INSERT INTO transcode_parts (video_id, plan_id, part, result, done_at) VALUES (?, ?, ?, ?, ?)")
					.params(videoId, planId, part, JSON.writeValueAsString(result), now()).update();
			return true;
		}
		catch (org.springframework.dao.DuplicateKeyException e) {
			return false;
		}
	}

	/** The parts of this plan stored so far, by name. */
	Map<String, Part> done(String videoId, String planId) {
		Map<String, Part> parts = new LinkedHashMap<>();
		jdbc.sql("SELECT part, result FROM transcode_parts WHERE video_id = ? AND plan_id = ? ORDER BY part")
				.params(videoId, planId)
				.query((rs, row) -> Map.entry(rs.getString("part"), JSON.readValue(rs.getString("result"), Part.class)))
				.list().forEach(e -> parts.put(e.getKey(), e.getValue()));
		return parts;
	}

	/** How far a running part has got (0 to 1), for the video's percent; written by whoever runs it. */
	void progress(String videoId, String planId, String part, double fraction) {
		if (jdbc.sql("UPDATE transcode_part_progress SET fraction = ? WHERE video_id = ? AND plan_id = ? AND part = ?")
				.params(fraction, videoId, planId, part).update() > 0) {
			return;
		}
		try {
			jdbc.sql("INSERT INTO transcode_part_progress (video_id, plan_id, part, fraction) VALUES (?, ?, ?, ?)")
					.params(videoId, planId, part, fraction).update();
		}
		catch (org.springframework.dao.DuplicateKeyException e) {
			// Another run of the same part wrote first (a redelivered job): the next report updates it.
		}
		catch (org.springframework.dao.DataIntegrityViolationException e) {
			// The video was deleted meanwhile: nothing to report on.
		}
	}

	/**
	 * How far each part of the plan has got: 1 for those stored, the last report for those running;
	 * parts not started are left out.
	 */
	Map<String, Double> fractions(String videoId, String planId) {
		Map<String, Double> fractions = new LinkedHashMap<>();
		jdbc.sql("SELECT part, fraction FROM transcode_part_progress WHERE video_id = ? AND plan_id = ?").params(videoId, planId)
				.query((rs, row) -> Map.entry(rs.getString("part"), rs.getDouble("fraction"))).list()
				.forEach(e -> fractions.put(e.getKey(), e.getValue()));
		jdbc.sql("SELECT part FROM transcode_parts WHERE video_id = ? AND plan_id = ?").params(videoId, planId)
				.query(String.class).list().forEach(part -> fractions.put(part, 1.0));
		return fractions;
	}

	void forget(String videoId) {
		jdbc.sql("DELETE FROM transcode_part_progress WHERE video_id = ?").param(videoId).update();
		jdbc.sql("DELETE FROM transcode_parts WHERE video_id = ?").param(videoId).update();
		jdbc.sql("DELETE FROM transcode_plans WHERE video_id = ?").param(videoId).update();
	}

	/** The video's rendition {@code name} is to be removed at {@code at} (a later call moves the time). */
	void expireLater(String videoId, String name, Instant at) {
		OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
		if (jdbc.sql("UPDATE expiring_renditions SET expires_at = ? WHERE video_id = ? AND name = ?").params(when, videoId, name)
				.update() == 0) {
			jdbc.sql("INSERT INTO expiring_renditions (video_id, name, expires_at) VALUES (?, ?, ?)").params(videoId, name, when)
					.update();
		}
	}

	/** The renditions due for removal at {@code now}: video id and rendition name. */
	java.util.List<Map.Entry<String, String>> expired(Instant now) {
		return jdbc.sql("SELECT video_id, name FROM expiring_renditions WHERE expires_at <= ? ORDER BY expires_at")
				.param(now.atOffset(ZoneOffset.UTC)).query((rs, row) -> Map.entry(rs.getString("video_id"), rs.getString("name")))
				.list();
	}

	/** Forgets a rendition's removal (done). */
	void forgetExpiry(String videoId, String name) {
		jdbc.sql("DELETE FROM expiring_renditions WHERE video_id = ? AND name = ?").params(videoId, name).update();
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC);
	}
}
