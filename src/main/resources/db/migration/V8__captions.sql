-- Caption tracks of a video (issue #12). The cleaned files live in the BlobStore under the
-- video's renditions prefix (captions/<language, lowercased>/), so deleting a video removes them;
-- its rows go with it here.
CREATE TABLE caption_tracks (
    video_id   VARCHAR(32)  NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    language   VARCHAR(64)  NOT NULL,
    label      VARCHAR(200) NOT NULL,
    source     VARCHAR(16)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT caption_tracks_unique UNIQUE (video_id, language)
);
