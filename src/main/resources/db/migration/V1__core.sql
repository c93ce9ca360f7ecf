-- Written in the SQL that H2 (MODE=PostgreSQL or not) and PostgreSQL both accept.
CREATE TABLE users (
    id            VARCHAR(32)  PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    roles         VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_username_unique UNIQUE (username)
);

CREATE TABLE videos (
    id                VARCHAR(32)   PRIMARY KEY,
    owner_id          VARCHAR(32)   NOT NULL REFERENCES users (id),
    owner_username    VARCHAR(64)   NOT NULL,
    title             VARCHAR(200)  NOT NULL,
    description       VARCHAR(5000),
    visibility        VARCHAR(16)   NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    progress          INTEGER       NOT NULL DEFAULT 0,
    duration_seconds  DOUBLE PRECISION,
    width             INTEGER,
    height            INTEGER,
    qualities         VARCHAR(1000),
    has_thumbnail     BOOLEAN       NOT NULL DEFAULT FALSE,
    original_filename VARCHAR(255),
    upload_length     BIGINT,
    error             VARCHAR(2000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX videos_owner ON videos (owner_id, created_at);
CREATE INDEX videos_listing ON videos (status, visibility, created_at);

CREATE TABLE jobs (
    id           VARCHAR(32)   PRIMARY KEY,
    queue        VARCHAR(64)   NOT NULL,
    dedupe_key   VARCHAR(200),
    payload      VARCHAR(4000) NOT NULL,
    state        VARCHAR(16)   NOT NULL,
    attempts     INTEGER       NOT NULL,
    max_attempts INTEGER       NOT NULL,
    run_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner  VARCHAR(200),
    lease_until  TIMESTAMP WITH TIME ZONE,
    last_error   VARCHAR(4000),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE,
    finished_at  TIMESTAMP WITH TIME ZONE,
    version      BIGINT        NOT NULL,
    CONSTRAINT jobs_dedupe_unique UNIQUE (dedupe_key)
);
CREATE INDEX jobs_due ON jobs (queue, state, run_at);
