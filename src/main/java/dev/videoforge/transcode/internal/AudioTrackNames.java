package dev.videoforge.transcode.internal;

import dev.videoforge.media.MediaInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The audio tracks of a source as renditions, named from the file's stream tags. The tags are
 * whatever the uploader wrote, and they end up inside a quoted attribute of the master playlist:
 * a language is kept only when it has the shape of a BCP 47 tag (ISO 639-2 codes such as
 * {@code eng} become {@code en}, what browsers match), else it is {@code und}; a label keeps
 * printable characters only, no quotes, at most 64 of them. NAME must differ within the group
 * (RFC 8216 §4.3.4.1.1), so a repeated label is numbered.
 */
final class AudioTrackNames {

	static final int MAX_LABEL = 64;

	private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8})*");

	/** Handler names muxers write on their own: they say nothing about the track. */
	private static final Set<String> GENERIC = Set.of("soundhandler", "soundhandle", "sound handler", "core media audio",
			"audiohandler", "audio handler", "gpac iso audio handler", "isomedia file produced by google", "");

	/** ISO 639-2/B codes that differ from the /T codes Java knows. */
	private static final Map<String, String> BIBLIOGRAPHIC = Map.ofEntries(Map.entry("alb", "sq"), Map.entry("arm", "hy"),
			Map.entry("baq", "eu"), Map.entry("bur", "my"), Map.entry("chi", "zh"), Map.entry("cze", "cs"),
			Map.entry("dut", "nl"), Map.entry("fre", "fr"), Map.entry("geo", "ka"), Map.entry("ger", "de"),
			Map.entry("gre", "el"), Map.entry("ice", "is"), Map.entry("mac", "mk"), Map.entry("mao", "mi"),
			Map.entry("may", "ms"), Map.entry("per", "fa"), Map.entry("rum", "ro"), Map.entry("slo", "sk"),
			Map.entry("tib", "bo"), Map.entry("wel", "cy"));

	private static final Map<String, String> TWO_LETTER = new HashMap<>();

	static {
		for (String two : Locale.getISOLanguages()) {
			try {
				TWO_LETTER.putIfAbsent(Locale.of(two).getISO3Language(), two);
			}
			catch (MissingResourceException e) {
				// no three-letter code: nothing to map
			}
		}
		TWO_LETTER.putAll(BIBLIOGRAPHIC);
	}

	private AudioTrackNames() {
	}

	/** The first {@code max} audio streams as tracks: the first is {@code audio} and the default. */
	static List<Plan.AudioTrack> tracks(MediaInfo media, int max) {
		List<Plan.AudioTrack> tracks = new ArrayList<>();
		Set<String> names = new HashSet<>();
		List<MediaInfo.AudioStream> streams = media.audioStreams();
		for (int i = 0; i < streams.size() && i < Math.max(1, max); i++) {
			MediaInfo.AudioStream stream = streams.get(i);
			String language = language(stream.language());
			String label = label(stream.title());
			if (label.isEmpty()) {
				label = fallbackLabel(language, i + 1);
			}
			String unique = label;
			for (int n = 2; !names.add(unique.toLowerCase(Locale.ROOT)); n++) {
				String suffix = " (" + n + ")";
				unique = label.substring(0, Math.min(label.length(), MAX_LABEL - suffix.length())) + suffix;
			}
			tracks.add(new Plan.AudioTrack(i == 0 ? "audio" : "audio" + (i + 1), stream.index(), language, unique, i == 0));
		}
		return tracks;
	}

	/** A BCP 47 tag, lowercase primary subtag, two letters where ISO 639-1 has one; {@code und} otherwise. */
	static String language(String tag) {
		if (tag == null) {
			return "und";
		}
		String trimmed = tag.strip();
		int dash = trimmed.indexOf('-');
		String primary = (dash < 0 ? trimmed : trimmed.substring(0, dash)).toLowerCase(Locale.ROOT);
		String candidate = primary + (dash < 0 ? "" : trimmed.substring(dash));
		if (candidate.length() > 35 || !LANGUAGE.matcher(candidate).matches()) {
			return "und";
		}
		if (primary.length() == 3) {
			primary = TWO_LETTER.getOrDefault(primary, primary);
		}
		return primary + (dash < 0 ? "" : trimmed.substring(dash));
	}

	/**
	 * Printable characters of the tag only (no controls, no line or paragraph breaks, no quotes or
	 * backslashes), spaces collapsed, at most {@link #MAX_LABEL} characters; empty when nothing
	 * useful is left.
	 */
	static String label(String tag) {
		if (tag == null) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		tag.codePoints().forEach(c -> {
			int type = Character.getType(c);
			boolean printable = c >= 0x20 && type != Character.CONTROL && type != Character.FORMAT
					&& type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR && type != Character.UNASSIGNED
					&& type != Character.SURROGATE && type != Character.PRIVATE_USE;
			if (!printable || c == '"' || c == '\\' || Character.isWhitespace(c)) {
				out.append(' ');
			}
			else {
				out.appendCodePoint(c);
			}
		});
		String label = out.toString().replaceAll(" +", " ").strip();
		if (label.codePointCount(0, label.length()) > MAX_LABEL) {
			label = label.substring(0, label.offsetByCodePoints(0, MAX_LABEL)).strip();
		}
		return GENERIC.contains(label.toLowerCase(Locale.ROOT)) ? "" : label;
	}

	/** The language's English name ("English"), or "Audio N" when the language is unknown. */
	private static String fallbackLabel(String language, int number) {
		if (!language.equals("und")) {
			String name = Locale.forLanguageTag(language).getDisplayLanguage(Locale.ENGLISH);
			if (!name.isBlank() && !name.equalsIgnoreCase(language)) {
				return label(name);
			}
		}
		return "Audio " + number;
	}
}
