/**
 * Work that crosses roles: the {@link dev.videoforge.queue.JobQueue} port (lease, heartbeat, ack,
 * retry with backoff, dead letters) and its JDBC adapter.
 */
package dev.videoforge.queue;
