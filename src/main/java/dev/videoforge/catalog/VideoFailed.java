package dev.videoforge.catalog;

/**
 * Published when a video became FAILED (any non-final state → FAILED), with the sentence its
 * viewers see. Published inside the transaction of the state change, only when the guarded
 * UPDATE changed the row, so that a listener writing to the same database commits or rolls back
 * with it.
 */
public record VideoFailed(String videoId, String error) {
}
