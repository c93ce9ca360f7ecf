/**
 * Work that crosses roles. Ports: {@link dev.videoforge.queue.JobQueue} (what producers and
 * workers need: enqueue, lease, heartbeat, ack, fail, release) and
 * {@link dev.videoforge.queue.JobAdmin} (figures, listing, redrive, purge); adapters {@code jdbc}
 * (H2, PostgreSQL) and {@code sqs} implement both as a {@link dev.videoforge.queue.JobStore}.
 * The runtime: {@link dev.videoforge.queue.JobRuntime} runs one queue's lease loop, heartbeats,
 * autoscaled pool, hand-back and purge, and hands each job to the
 * {@link dev.videoforge.queue.JobHandler} of its {@link dev.videoforge.queue.JobType} with a typed
 * payload record ({@link dev.videoforge.queue.JobPayloads}).
 */
package dev.videoforge.queue;
