-- A long video's transcode cut into chunks that any processor can encode. The plan is written
-- by the video's transcode job; each chunk job and the audio job record their part when it is
-- stored; the assemble job reads them all. A new plan (a new attempt) replaces the old one.
CREATE TABLE transcode_plans (
    video_id    VARCHAR(32)   PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    plan_id     VARCHAR(32)   NOT NULL,
    plan        TEXT          NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE transcode_parts (
    video_id    VARCHAR(32)   NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    plan_id     VARCHAR(32)   NOT NULL,
    part        VARCHAR(32)   NOT NULL,
    result      TEXT          NOT NULL,
    done_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (video_id, plan_id, part)
);
