package dev.videoforge.transcode.internal;

/**
 * An attempt failed. The message is the detail, in the tools' words, for the owner and the
 * administrators (the job's error, its log); {@link #sentence()} is what any viewer is shown. A
 * permanent failure is the file's own: trying again would fail the same way, so there is no retry.
 */
class TranscodeFailure extends dev.videoforge.queue.JobFailure {

	static final String NOT_MEDIA = "The file is not a video or audio file this site can play.";
	static final String TOO_LONG = "The video is longer than this site accepts.";
	static final String UNDECODABLE = "The file is damaged or uses a format this site cannot convert.";
	static final String DAMAGED = "The file is damaged: only part of it could be converted.";
	static final String NO_PICTURE = "The file's picture could not be converted.";
	static final String TOO_SLOW = "The video could not be converted within this site's limits of time and size.";
	static final String MISSING = "The uploaded file was lost; please upload it again.";
	static final String INTERRUPTED = "The video could not be converted: the server converting it kept stopping.";
	static final String INTERNAL = "The video could not be converted because of a problem on this site.";

	private final String sentence;

	private TranscodeFailure(String sentence, String detail, boolean permanent) {
		super(permanent, detail);
		this.sentence = sentence;
	}

	/** The file's fault: fail the video now. */
	static TranscodeFailure permanent(String sentence, String detail) {
		return new TranscodeFailure(sentence, detail, true);
	}

	/** Perhaps this machine's fault: worth another attempt. */
	static TranscodeFailure transientFailure(String detail) {
		return new TranscodeFailure(INTERNAL, detail, false);
	}

	String sentence() {
		return sentence;
	}

	/** What viewers are told of any failure of a job: its own sentence, or the generic one. */
	static String sentenceOf(dev.videoforge.queue.JobFailure failure) {
		if (failure instanceof TranscodeFailure known) {
			return known.sentence();
		}
		return failure instanceof dev.videoforge.queue.JobFailure.Abandoned ? INTERRUPTED : INTERNAL;
	}
}
