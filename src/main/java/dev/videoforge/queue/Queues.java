package dev.videoforge.queue;

/** The queues and job types the modules share. */
public final class Queues {

	/** Every job that makes a video's renditions; kinds {@code transcode}, {@code audio}, {@code chunk}, {@code assemble}. */
	public static final String TRANSCODE = "transcode";

	/** One job per webhook delivery attempt (the webhooks module owns the schedule). */
	public static final String WEBHOOK = "webhook";

	/** The job an upload queues: make this video's renditions. */
	public record TranscodeVideo(String videoId) {
	}

	/**
	 * The first job of every video: the processor that leases it plans the work (one pass, or
	 * chunks for other processors). Jobs queued before payloads were typed hold the bare video id.
	 */
	public static final JobType<TranscodeVideo> TRANSCODE_VIDEO = JobType.of(TRANSCODE, "transcode", TranscodeVideo.class)
			.readingLegacy(TranscodeVideo::new);

	/** The dedupe key of a video's transcode job: one job per video, however often it is queued. */
	public static String transcodeKey(String videoId) {
		return "transcode:" + videoId;
	}

	private Queues() {
	}
}
