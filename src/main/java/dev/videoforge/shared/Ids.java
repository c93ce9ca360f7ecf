package dev.videoforge.shared;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Opaque, URL-safe ids (API.md): 16 characters of a lowercase alphabet, 80 random bits. */
public final class Ids {

	private static final char[] ALPHABET = "0123456789abcdefghijkmnpqrstvwxyz".toCharArray();
	private static final Pattern VALID = Pattern.compile("[0-9a-z]{16}");
	private static final SecureRandom RANDOM = new SecureRandom();

	private Ids() {
	}

	public static String newId() {
		char[] id = new char[16];
		for (int i = 0; i < id.length; i++) {
			id[i] = ALPHABET[RANDOM.nextInt(32)];
		}
		return new String(id);
	}

	/** True when {@code id} has the shape of an id this server hands out (so it is safe in paths). */
	public static boolean isValid(String id) {
		return id != null && VALID.matcher(id).matches();
	}
}
