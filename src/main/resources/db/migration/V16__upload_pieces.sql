-- The pieces of an unfinished tus upload, one per PATCH that was kept, staged in the blob store
-- (uploads/<video>/<start>-<nonce>): any gateway answers HEAD (the offset is their sum) and takes
-- the next PATCH. A piece is recorded only if it starts where the upload stood, checked under a
-- lock on the video's row, so two gateways racing on one offset keep one piece.
CREATE TABLE upload_pieces (
    video_id      VARCHAR(32)   NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    start_offset  BIGINT        NOT NULL,
    size          BIGINT        NOT NULL,
    blob_key      VARCHAR(200)  NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (video_id, start_offset)
);

-- When bytes of an upload last arrived, also while a long PATCH is still sending (the janitor
-- keeps such an upload; a piece is recorded only when its PATCH ends).
CREATE TABLE upload_progress (
    video_id        VARCHAR(32)   PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    active_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
