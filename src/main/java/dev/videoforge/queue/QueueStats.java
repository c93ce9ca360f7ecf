package dev.videoforge.queue;

/** How many jobs of a queue are waiting, being worked on and dead-lettered. */
public record QueueStats(long queued, long inFlight, long deadLettered, long done) {
}
