-- How far each part of a chunked transcode has got while it runs (0 to 1), written by the processor
-- that runs it about once a second: the video's percent weighs every part's, wherever it runs.
-- A part's row goes with its plan (a new attempt's plan deletes the old one's rows).
CREATE TABLE transcode_part_progress (
    video_id    VARCHAR(32)   NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    plan_id     VARCHAR(32)   NOT NULL,
    part        VARCHAR(32)   NOT NULL,
    fraction    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (video_id, plan_id, part)
);
