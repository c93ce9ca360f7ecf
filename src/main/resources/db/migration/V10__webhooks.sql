-- Webhooks (issue #12): an account's endpoints and the log of their signed deliveries.
-- A delivery's id is its Standard Webhooks `webhook-id`: the same on every attempt.
CREATE TABLE webhook_endpoints (
    id          VARCHAR(32)   PRIMARY KEY,
    owner_id    VARCHAR(32)   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url         VARCHAR(2048) NOT NULL,
    events      VARCHAR(200)  NOT NULL,
    -- whsec_<base64>: kept so that the server can sign (HMAC needs the key on both sides).
    secret      VARCHAR(100)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_id, created_at);

CREATE TABLE webhook_deliveries (
    id               VARCHAR(40)   PRIMARY KEY,
    endpoint_id      VARCHAR(32)   NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event            VARCHAR(32)   NOT NULL,
    video_id         VARCHAR(32)   NOT NULL,
    payload          VARCHAR(100000) NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       VARCHAR(1000),
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    -- Which job stands for the next attempt: a job whose serial is not this one is stale.
    job_serial       INTEGER       NOT NULL DEFAULT 0,
    -- When that job was queued; NULL when no job is out for the delivery.
    queued_at        TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
