package dev.videoforge.catalog;

import dev.videoforge.shared.Refusal;
import java.util.Locale;

/** Who may see a video: everyone and listed, everyone with the link, or only its owner. */
public enum Visibility {
	PUBLIC, UNLISTED, PRIVATE;

	/** Parses a client's value (case-insensitive); null or blank gives {@code fallback}. */
	public static Visibility parse(String value, Visibility fallback) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new Refusal.Invalid("invalid_visibility", "visibility must be PUBLIC, UNLISTED or PRIVATE");
		}
	}
}
