/**
 * Object storage: the {@link dev.videoforge.storage.BlobStore} port (objects by key, ranged reads,
 * prefixes, presigned GETs) with its adapters, local disk and S3 (or MinIO and other S3-compatible
 * stores), and {@link dev.videoforge.storage.DirectUploads}, the S3 multipart uploads a client
 * sends its bytes to itself. Unfinished tus uploads are staged here too ({@code uploads/<id>/}),
 * so any gateway can continue them.
 */
package dev.videoforge.storage;
