-- Rate-limit token buckets shared by every gateway of a fleet (Bucket4j's PostgreSQL backend:
-- one row per bucket, its state serialized by Bucket4j, expires_at in epoch milliseconds when the
-- bucket is full again and can be forgotten). Unused on H2: one process keeps its buckets in memory.
CREATE TABLE rate_limit_buckets (
    id          VARCHAR(400)  PRIMARY KEY,
    state       BYTEA,
    expires_at  BIGINT
);

CREATE INDEX rate_limit_buckets_expiry ON rate_limit_buckets (expires_at);
