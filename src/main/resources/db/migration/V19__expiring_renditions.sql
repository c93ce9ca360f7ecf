-- A rendition a video played on while it was made and that its master no longer lists since READY
-- (the source's own pictures, repackaged): its files stay until expires_at, so that whoever was
-- watching it finishes, then a processor removes them. The row goes with the video (and the files
-- with the video's folder).
CREATE TABLE expiring_renditions (
    video_id    VARCHAR(32)   NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    name        VARCHAR(64)   NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (video_id, name)
);

CREATE INDEX expiring_renditions_expiry ON expiring_renditions (expires_at);
