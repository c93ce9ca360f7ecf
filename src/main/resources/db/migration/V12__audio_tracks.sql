-- Issue #11, audio once: every audio track of the source is its own rendition, stored in
-- `qualities` beside the picture renditions with its language and label
-- (name:WxH:bandwidth:language:D|N:url-encoded label). Up to 8 tracks (a setting: more) with
-- labels of 64 characters do not fit in the 1000 characters of V1.
ALTER TABLE videos ALTER COLUMN qualities SET DATA TYPE VARCHAR(65535);
