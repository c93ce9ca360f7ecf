-- When a video became playable while still PROCESSING (its first segments published); NULL until
-- then. A READY video is playable whatever this says.
ALTER TABLE videos ADD COLUMN playable_at TIMESTAMP WITH TIME ZONE;
