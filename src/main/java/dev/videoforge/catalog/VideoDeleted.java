package dev.videoforge.catalog;

/** Published after a video and its stored files were removed, so other modules drop what they hold for it. */
public record VideoDeleted(String videoId) {
}
