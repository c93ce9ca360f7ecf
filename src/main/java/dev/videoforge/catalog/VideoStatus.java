package dev.videoforge.catalog;

/** Where a video is in its life. READY and FAILED are final. */
public enum VideoStatus {
	UPLOADING, QUEUED, PROCESSING, READY, FAILED;

	public boolean isFinal() {
		return this == READY || this == FAILED;
	}
}
