package dev.videoforge.catalog;

/**
 * Published when an owner changed a video's title, description, visibility or download switch
 * (after the change is written), so that what this process keeps of the video's answers (the
 * streaming role's playlist cache) is dropped at once rather than when it expires.
 */
public record VideoUpdated(String videoId) {
}
