package dev.videoforge.catalog;

/**
 * The URLs a client gets for a video's streaming files: plain for PUBLIC videos, with an expiry
 * and a signature for the others, behind a CDN when one is configured. Implemented by the
 * streaming module.
 */
public interface PlaybackUrls {

	/** The URL of one file of the video, e.g. {@code master.m3u8} or {@code thumbnail.jpg}. */
	String url(Video video, String path);
}
