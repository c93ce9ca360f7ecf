package dev.videoforge.transcode.internal;

import java.util.List;

/**
 * What one transcode makes: the {@code pictures} (null for audio-only media), one audio rendition
 * per audio track of the source (the default first; empty: silent), for a source of
 * {@code durationSeconds}.
 */
record Plan(Pictures pictures, List<AudioTrack> audioTracks, double durationSeconds) {

	/**
	 * The video part: the qualities (best first) made from the source's stream {@code streamIndex}, at
	 * one constant {@code frameRate} with a keyframe every {@code gopFrames}, deinterlaced and HDR
	 * tone-mapped to SDR BT.709 when the source needs it; and the stills made from it.
	 */
	record Pictures(List<Quality> qualities, int streamIndex, FrameRate frameRate, int gopFrames, boolean deinterlace,
			boolean tonemap, Poster poster, Storyboard storyboard) {
	}

	/** One quality: name ({@code 720p}), picture size, target video bitrate in kbit/s. */
	record Quality(String name, int width, int height, int videoKbps) {
	}

	/** The poster: a picture of {@code width}x{@code height} taken {@code atSeconds} into the video. */
	record Poster(double atSeconds, int width, int height) {
	}

	/**
	 * A sprite of {@code count} thumbnails of {@code width}x{@code height}, one every
	 * {@code intervalSeconds}, laid out {@code columns} across and {@code rows} down.
	 */
	record Storyboard(double intervalSeconds, int count, int columns, int rows, int width, int height) {
	}

	/**
	 * One audio rendition: its name (the folder, {@code audio} for the default track, then
	 * {@code audio2}, {@code audio3}...), the source's stream index, and the checked language and
	 * label of the master playlist's {@code EXT-X-MEDIA} ({@link AudioTrackNames}).
	 */
	record AudioTrack(String name, int streamIndex, String language, String label, boolean isDefault) {
	}

	/** The video qualities, best first; none for audio-only media. */
	List<Quality> qualities() {
		return pictures == null ? List.of() : pictures.qualities();
	}

	boolean audioOnly() {
		return pictures == null;
	}

	/** Whether there is sound at all. */
	boolean audio() {
		return !audioTracks.isEmpty();
	}

	/** The output frame rate as a number (0 for audio-only). */
	double fps() {
		return pictures == null ? 0 : pictures.frameRate().value();
	}

	/** The same plan with only these of its qualities (in the order given); audio-only plans stay as they are. */
	Plan withQualities(List<Quality> only) {
		if (pictures == null) {
			return this;
		}
		Pictures p = pictures;
		return new Plan(new Pictures(List.copyOf(only), p.streamIndex(), p.frameRate(), p.gopFrames(), p.deinterlace(),
				p.tonemap(), p.poster(), p.storyboard()), audioTracks, durationSeconds);
	}

	/** Frames the video qualities will have (0 for audio-only): duration times the constant frame rate. */
	long expectedFrames() {
		return audioOnly() ? 0 : Math.max(1, Math.round(durationSeconds * fps()));
	}
}
