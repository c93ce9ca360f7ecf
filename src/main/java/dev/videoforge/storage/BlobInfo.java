package dev.videoforge.storage;

import java.time.Instant;

/** What the store knows about one object without reading it. */
public record BlobInfo(String key, long size, Instant lastModified, String etag) {
}
