package dev.videoforge.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The webhook tables (V10). Every change of a delivery after its creation is conditional on
 * its {@code job_serial}, so a stale or duplicated job can never overwrite what the current
 * one recorded.
 */
class WebhookStore {

	private final JdbcClient jdbc;

	WebhookStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	// --- endpoints

	void insert(Endpoint e) {
		jdbc.sql("INSERT INTO webhook_endpoints (id, owner_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)")
				.params(e.id(), e.ownerId(), e.url(), String.join(",", e.events()), e.secret(), utc(e.createdAt())).update();
	}

	List<Endpoint> endpointsOf(String ownerId) {
		return jdbc.sql("SELECT * FROM webhook_endpoints WHERE owner_id = ? ORDER BY created_at, id").param(ownerId)
				.query(WebhookStore::endpoint).list();
	}

	long countEndpoints(String ownerId) {
		return jdbc.sql("SELECT COUNT(*) FROM webhook_endpoints WHERE owner_id = ?").param(ownerId).query(Long.class).single();
	}

	Optional<Endpoint> endpoint(String id) {
		return jdbc.sql("SELECT * FROM webhook_endpoints WHERE id = ?").param(id).query(WebhookStore::endpoint).optional();
	}

	boolean deleteEndpoint(String id, String ownerId) {
		// Deliveries first (the foreign key), in case a database ignores ON DELETE CASCADE.
		jdbc.sql("DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE id = ? AND owner_id = ?)")
				.params(id, ownerId).update();
		return jdbc.sql("DELETE FROM webhook_endpoints WHERE id = ? AND owner_id = ?").params(id, ownerId).update() == 1;
	}

	private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
		return new Endpoint(rs.getString("id"), rs.getString("owner_id"), rs.getString("url"),
				Arrays.asList(rs.getString("events").split(",")), rs.getString("secret"), instant(rs, "created_at"));
	}

	// --- deliveries

	void insert(Delivery d) {
		jdbc.sql("""
				INSERT INTO webhook_deliveries (id, endpoint_id, event, video_id, payload, status, attempts, next_attempt_at,
				  job_serial, created_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, 0, ?)""")
				.params(d.id(), d.endpointId(), d.event(), d.videoId(), d.payload(), utc(d.nextAttemptAt()), utc(d.createdAt()))
				.update();
	}

	Optional<Delivery> delivery(String id) {
		return jdbc.sql("SELECT * FROM webhook_deliveries WHERE id = ?").param(id).query(WebhookStore::delivery).optional();
	}

	List<Delivery> deliveriesOf(String endpointId, int limit) {
		return jdbc.sql("SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
				.params(endpointId, limit).query(WebhookStore::delivery).list();
	}

	/** PENDING deliveries that are due and have no live job (none queued, or queued too long ago). */
	List<Delivery> due(Instant now, Instant queuedBefore, int limit) {
		return jdbc.sql("""
				SELECT * FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= ?
				  AND (queued_at IS NULL OR queued_at < ?) ORDER BY next_attempt_at, created_at LIMIT ?""")
				.params(utc(now), utc(queuedBefore), limit).query(WebhookStore::delivery).list();
	}

	/** Claims the next job serial for a delivery; false when someone else changed it first. */
	boolean markQueued(String id, int serial, Instant now) {
		return jdbc.sql("UPDATE webhook_deliveries SET job_serial = ?, queued_at = ? WHERE id = ? AND job_serial = ? AND status = 'PENDING'")
				.params(serial + 1, utc(now), id, serial).update() == 1;
	}

	/** Makes a delivery due now again, whatever its status (a manual redelivery). */
	void reopen(String id, Instant now) {
		jdbc.sql("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = ?, queued_at = NULL WHERE id = ?")
				.params(utc(now), id).update();
	}

	/** Records an attempt made by the job with {@code serial}; false when that job had gone stale. */
	boolean recordAttempt(String id, int serial, Delivery.Status status, int attempts, Integer statusCode, String error,
			Instant nextAttemptAt, Instant deliveredAt) {
		return jdbc.sql("""
				UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?,
				  queued_at = NULL, delivered_at = COALESCE(?, delivered_at)
				WHERE id = ? AND job_serial = ? AND status = 'PENDING'""")
				.params(status.name(), attempts, statusCode, error, utc(nextAttemptAt), utc(deliveredAt), id, serial).update() == 1;
	}

	/** Forgets finished deliveries created before {@code before}; returns how many. */
	int purge(Instant before) {
		return jdbc.sql("DELETE FROM webhook_deliveries WHERE status <> 'PENDING' AND created_at < ?").param(utc(before)).update();
	}

	private static Delivery delivery(ResultSet rs, int row) throws SQLException {
		int code = rs.getInt("last_status_code");
		Integer statusCode = rs.wasNull() ? null : code;
		return new Delivery(rs.getString("id"), rs.getString("endpoint_id"), rs.getString("event"), rs.getString("video_id"),
				rs.getString("payload"), Delivery.Status.valueOf(rs.getString("status")), rs.getInt("attempts"), statusCode,
				rs.getString("last_error"), instant(rs, "next_attempt_at"), rs.getInt("job_serial"), instant(rs, "queued_at"),
				instant(rs, "created_at"), instant(rs, "delivered_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
