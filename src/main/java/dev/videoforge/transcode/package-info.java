/**
 * Turning an original into an HLS ladder: job consumer, ladder planning, the one-pass ffmpeg
 * command, running it with progress, poster and storyboard.
 */
package dev.videoforge.transcode;
