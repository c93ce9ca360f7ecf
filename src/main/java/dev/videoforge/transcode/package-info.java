/**
 * Turning an original into an HLS ladder: ladder planning, the one-pass ffmpeg command, or for
 * long videos chunks on the keyframe grid that any processor encodes and an assemble job joins;
 * the sound once per audio track as its own renditions; publishing early (playable before READY);
 * poster and storyboard; the admin API and the start-up reconciliation of transcodes.
 */
package dev.videoforge.transcode;
