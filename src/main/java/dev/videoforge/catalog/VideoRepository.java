package dev.videoforge.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rows of {@code videos}. The lifecycle guards are in the SQL of {@link VideoCatalog}. */
@Repository
class VideoRepository {

	static final String COLUMNS = "id, owner_id, owner_username, title, description, visibility, status, progress, duration_seconds, width, height, qualities, has_thumbnail, original_filename, upload_length, error, created_at, updated_at, downloadable, poster_key, playable_at";

	private final JdbcClient jdbc;

	VideoRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Video> find(String id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM videos WHERE id = ?").param(id).query(VideoRepository::map).optional();
	}

	record Page(List<Video> items, long total) {
	}

	/**
	 * READY PUBLIC videos plus, for a signed-in caller, their own of any status; optionally only
	 * those whose title contains {@code q} (case-insensitive).
	 */
	Page list(String callerId, String q, String orderBy, int page, int size) {
		StringBuilder where = new StringBuilder("((status = 'READY' AND visibility = 'PUBLIC')");
		List<Object> params = new ArrayList<>();
		if (callerId != null) {
			where.append(" OR owner_id = ?");
			params.add(callerId);
		}
		where.append(")");
		return page(where, params, q, orderBy, page, size);
	}

	/** Every video of one owner, whatever its status and visibility; optionally only titles containing {@code q}. */
	Page listOwnedBy(String ownerId, String q, String orderBy, int page, int size) {
		List<Object> params = new ArrayList<>();
		params.add(ownerId);
		return page(new StringBuilder("owner_id = ?"), params, q, orderBy, page, size);
	}

	private Page page(StringBuilder where, List<Object> params, String q, String orderBy, int page, int size) {
		if (q != null && !q.isBlank()) {
			where.append(" AND LOWER(title) LIKE ? ESCAPE '\\'");
			params.add("%" + escapeLike(q.trim().toLowerCase()) + "%");
		}
		long total = jdbc.sql("SELECT COUNT(*) FROM videos WHERE " + where).params(params).query(Long.class).single();
		List<Object> pageParams = new ArrayList<>(params);
		pageParams.add(size);
		pageParams.add((long) page * size);
		List<Video> items = jdbc.sql("SELECT " + COLUMNS + " FROM videos WHERE " + where + " ORDER BY " + orderBy
				+ ", id LIMIT ? OFFSET ?").params(pageParams).query(VideoRepository::map).list();
		return new Page(items, total);
	}

	static String escapeLike(String value) {
		return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	static Video map(ResultSet rs, int row) throws SQLException {
		return new Video(rs.getString("id"), rs.getString("owner_id"), rs.getString("owner_username"),
				rs.getString("title"), rs.getString("description"), Visibility.valueOf(rs.getString("visibility")),
				VideoStatus.valueOf(rs.getString("status")), rs.getInt("progress"),
				(Double) rs.getObject("duration_seconds", Double.class), (Integer) rs.getObject("width", Integer.class),
				(Integer) rs.getObject("height", Integer.class), Rendition.decode(rs.getString("qualities")),
				rs.getBoolean("has_thumbnail"), rs.getString("original_filename"),
				(Long) rs.getObject("upload_length", Long.class), rs.getString("error"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getBoolean("downloadable"),
				rs.getString("poster_key"), instant(rs.getObject("playable_at", OffsetDateTime.class)));
	}

	private static Instant instant(OffsetDateTime value) {
		return value == null ? null : value.toInstant();
	}
}
