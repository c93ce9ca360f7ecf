-- The worker pools of every process (one row per JobRuntime: a queue in a process), refreshed by
-- each every few seconds, so the admin figures are the fleet's whichever process answers.
CREATE TABLE queue_workers (
    worker       VARCHAR(200)  PRIMARY KEY,
    queue        VARCHAR(64)   NOT NULL,
    host         VARCHAR(200)  NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    busy         INTEGER       NOT NULL,
    desired      INTEGER       NOT NULL,
    max_workers  INTEGER       NOT NULL
);

CREATE INDEX queue_workers_seen ON queue_workers (queue, seen_at);
