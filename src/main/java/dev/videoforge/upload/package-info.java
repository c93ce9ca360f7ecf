/**
 * Getting files in: the tus 1.0.0 server, multipart upload, and refusing what is not media.
 */
package dev.videoforge.upload;
