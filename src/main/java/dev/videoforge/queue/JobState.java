package dev.videoforge.queue;

/** Where a job is in its life. */
public enum JobState {
	QUEUED, LEASED, DONE, DEAD
}
