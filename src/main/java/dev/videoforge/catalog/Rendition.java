package dev.videoforge.catalog;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One rendition of a ready video: its name ({@code 720p}, or {@code audio}, {@code audio2}...),
 * picture size (0 for audio) and peak bandwidth in bits per second. {@code audio} describes an
 * audio-only rendition that is one of the source's audio tracks (null for picture renditions, and
 * for the audio rendition of a video made before audio tracks were their own renditions).
 */
public record Rendition(String name, int width, int height, long bandwidth, AudioTrack audio) {

	public Rendition(String name, int width, int height, long bandwidth) {
		this(name, width, height, bandwidth, null);
	}

	/** An audio track: its BCP 47 language ({@code und} when unknown), label, and whether players pick it first. */
	public record AudioTrack(String language, String label, boolean isDefault) {
	}

	/** Whether it holds pictures (a quality of a video), rather than sound alone. */
	public boolean hasPicture() {
		return width > 0;
	}

	/**
	 * Stored form: {@code name:WxH:bandwidth}, an audio track followed by
	 * {@code :language:D|N:label} (the label URL-encoded, so no ',' or ':' of it splits the list),
	 * joined with commas.
	 */
	static String encode(List<Rendition> renditions) {
		return String.join(",", renditions.stream().map(r -> {
			String base = r.name() + ":" + r.width() + "x" + r.height() + ":" + r.bandwidth();
			if (r.audio() == null) {
				return base;
			}
			return base + ":" + r.audio().language() + ":" + (r.audio().isDefault() ? "D" : "N") + ":"
					+ URLEncoder.encode(r.audio().label(), StandardCharsets.UTF_8);
		}).toList());
	}

	static List<Rendition> decode(String value) {
		List<Rendition> renditions = new ArrayList<>();
		if (value == null || value.isBlank()) {
			return renditions;
		}
		for (String item : value.split(",")) {
			String[] parts = item.split(":", -1);
			String[] size = parts[1].split("x");
			AudioTrack audio = parts.length >= 6
					? new AudioTrack(parts[3], URLDecoder.decode(parts[5], StandardCharsets.UTF_8), parts[4].equals("D"))
					: null;
			renditions.add(new Rendition(parts[0], Integer.parseInt(size[0]), Integer.parseInt(size[1]), Long.parseLong(parts[2]),
					audio));
		}
		return renditions;
	}
}
