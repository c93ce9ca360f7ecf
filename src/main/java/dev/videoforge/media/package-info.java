/**
 * Knowing what a media file is: ffprobe, run as a process, read into {@link dev.videoforge.media.MediaInfo}.
 */
package dev.videoforge.media;
