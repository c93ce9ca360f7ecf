-- Uploads whose bytes go from the client straight to S3 (a multipart upload with presigned part
-- URLs, uploads/<video>/direct): the store's upload id and the part size the server chose. When
-- the client completes, the object becomes the upload's one piece (upload_pieces) and is finished
-- as a tus upload is. Deleting the video aborts the multipart upload (the store lists those under
-- uploads/<video>/).
CREATE TABLE direct_uploads (
    video_id    VARCHAR(32)    PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    upload_id   VARCHAR(1024)  NOT NULL,
    part_size   BIGINT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
