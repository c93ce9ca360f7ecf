package dev.videoforge.catalog;

/**
 * Published when a video's upload completed and it was queued for transcoding (UPLOADING → QUEUED). Published inside the transaction of
 * the state change, only when the guarded UPDATE changed the row, so that a listener writing to
 * the same database commits or rolls back with it.
 */
public record VideoUploaded(String videoId) {
}
