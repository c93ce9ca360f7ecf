package dev.videoforge.queue;

/**
 * How many jobs of a queue are waiting (due or not), being worked on, dead-lettered and done,
 * and how long the oldest waiting one has waited (0 when none waits).
 */
public record QueueStats(long queued, long inFlight, long deadLettered, long done, double oldestQueuedAgeSeconds) {
}
