package dev.videoforge.queue;

/** Names of the queues the modules share. */
public final class Queues {

	/** One job per uploaded video; the payload is the video id. */
	public static final String TRANSCODE = "transcode";

	private Queues() {
	}
}
