package dev.videoforge.queue;

/** What an adapter implements: the worker's port and the operator's, over one store of jobs. */
public interface JobStore extends JobQueue, JobAdmin {
}
