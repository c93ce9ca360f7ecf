package dev.videoforge.transcode.internal;

/** An attempt failed; the message is a sentence for the video's owner. */
class TranscodeFailure extends Exception {
	TranscodeFailure(String message) {
		super(message);
	}

	TranscodeFailure(String message, Throwable cause) {
		super(message, cause);
	}
}
