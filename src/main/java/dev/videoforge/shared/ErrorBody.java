package dev.videoforge.shared;

/** The body of every error response (API.md). */
public record ErrorBody(String error, String message) {
}
