-- Issue #12, downloads: whether the owner lets viewers download MP4 files of the video.
ALTER TABLE videos ADD COLUMN downloadable BOOLEAN NOT NULL DEFAULT FALSE;
-- Issue #12, thumbnails: the file name of a poster the owner picked (a frame or an uploaded image),
-- e.g. 'poster-<random>.jpg' in the video's renditions folder; NULL means the transcoder's thumbnail.jpg.
-- A new name for every new poster, so that its URL changes and no cache serves the old picture.
ALTER TABLE videos ADD COLUMN poster_key VARCHAR(64);
