package dev.videoforge.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * One quality of a ready video: its name ({@code 720p}, or {@code audio}), picture size (0 for
 * audio) and peak bandwidth in bits per second.
 */
public record Rendition(String name, int width, int height, long bandwidth) {

	/** Stored form: {@code name:WxH:bandwidth} joined with commas. */
	static String encode(List<Rendition> renditions) {
		return String.join(",", renditions.stream().map(r -> r.name() + ":" + r.width() + "x" + r.height() + ":" + r.bandwidth()).toList());
	}

	static List<Rendition> decode(String value) {
		List<Rendition> renditions = new ArrayList<>();
		if (value == null || value.isBlank()) {
			return renditions;
		}
		for (String item : value.split(",")) {
			String[] parts = item.split(":");
			String[] size = parts[1].split("x");
			renditions.add(new Rendition(parts[0], Integer.parseInt(size[0]), Integer.parseInt(size[1]), Long.parseLong(parts[2])));
		}
		return renditions;
	}
}
