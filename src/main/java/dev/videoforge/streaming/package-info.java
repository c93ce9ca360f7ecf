/**
 * Delivery: qualities, HLS playlists, segments, poster and storyboard from storage, with Range,
 * ETag and CDN cache headers.
 */
package dev.videoforge.streaming;
