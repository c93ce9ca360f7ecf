/**
 * Knowing what a media file is: ffprobe and ffmpeg run in a sandbox (bubblewrap) on the allowed
 * formats only, with time and output caps, read into {@link dev.videoforge.media.MediaInfo}.
 */
package dev.videoforge.media;
