/**
 * Getting files in: the tus 1.0.0 server (its pieces staged in storage, so any gateway continues
 * any upload), direct-to-S3 uploads, multipart form upload; per-account quotas; and
 * {@code UploadFinisher}, which every kind ends in: the file probed in the sandbox, what is not
 * media refused, the original stored and its transcode queued before the client is answered.
 */
package dev.videoforge.upload;
