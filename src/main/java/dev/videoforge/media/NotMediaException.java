package dev.videoforge.media;

/** The file is not media this server can play: not a media container, or no stream it can decode. */
public class NotMediaException extends RuntimeException {
	public NotMediaException(String message) {
		super(message);
	}
}
