package dev.videoforge.storage;

import java.io.IOException;

/** The object asked for does not exist. */
public class BlobNotFoundException extends IOException {
	public BlobNotFoundException(String key) {
		super("no object at " + key);
	}
}
