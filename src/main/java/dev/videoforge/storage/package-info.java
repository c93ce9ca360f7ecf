/**
 * Object storage: the {@link dev.videoforge.storage.BlobStore} port and its adapters (local disk).
 */
package dev.videoforge.storage;
