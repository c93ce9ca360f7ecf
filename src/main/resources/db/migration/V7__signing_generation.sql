-- A video's signing generation is part of every playback signature (streaming's UrlSigner).
-- Making a video PRIVATE or deleting it adds one, so every link signed before stops opening it.
ALTER TABLE videos ADD COLUMN signing_generation BIGINT NOT NULL DEFAULT 0;
