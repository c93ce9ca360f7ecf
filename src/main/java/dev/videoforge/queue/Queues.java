package dev.videoforge.queue;

/** Names of the queues the modules share. */
public final class Queues {

	/** One job per uploaded video; the payload is the video id. */
	public static final String TRANSCODE = "transcode";

	/**
	 * One job per webhook delivery attempt; the payload is {@code <deliveryId>:<serial>}, the
	 * dedupe key {@code webhook:<deliveryId>:<serial>} (the webhooks module owns the schedule).
	 */
	public static final String WEBHOOK = "webhook";

	/** The dedupe key of a video's transcode job: one job per video, however often it is queued. */
	public static String transcodeKey(String videoId) {
		return "transcode:" + videoId;
	}

	private Queues() {
	}
}
