/**
 * Delivery: qualities, HLS playlists (signed per request when the video is not PUBLIC, cached
 * when READY), segments, captions, poster, storyboard and MP4 downloads, with Range, ETag and CDN
 * cache headers; the bytes sent from here (sendfile), by nginx ({@code X-Accel-Redirect}) or by
 * the store (a redirect to a presigned URL), as {@code videoforge.streaming.delivery} says.
 */
package dev.videoforge.streaming;
