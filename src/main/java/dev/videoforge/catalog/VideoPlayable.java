package dev.videoforge.catalog;

/**
 * Published when a PROCESSING video became playable: its first segments are stored and it plays
 * from the start while the rest is made. Published inside the transaction of the state change,
 * once per attempt at most. A video READY without having been playable first (too short to be
 * worth it) publishes only {@link VideoReady}, which implies it.
 */
public record VideoPlayable(String videoId) {
}
