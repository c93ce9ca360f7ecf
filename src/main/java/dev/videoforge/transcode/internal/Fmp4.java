package dev.videoforge.transcode.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two facts of our own fMP4 output that chunked encoding needs (ISO/IEC 14496-12): the video
 * track's timescale ({@code moov/trak/mdia/mdhd}) and each fragment's decode time
 * ({@code moof/traf/tfdt}). A chunk is encoded from its own time 0, so its fragments are moved to
 * where the chunk starts in the video by adding the chunk's start to every {@code tfdt}; the samples
 * inside keep their relative timing, and the chunks then play as one stream. ffmpeg's
 * {@code -output_ts_offset} cannot do this: the muxer shifts the first chunk (whose B-frames make its
 * first decode time negative) but not the others, which leaves a gap or an overlap at every seam.
 * Only files our own ffmpeg wrote are read here; a box that does not fit is an error.
 */
final class Fmp4 {

	private Fmp4() {
	}

	/** The timescale of the first track's media header in an init section. */
	static long timescale(Path init) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(init));
		int moov = find(buffer, 0, buffer.limit(), "moov");
		int trak = find(buffer, body(buffer, moov), end(buffer, moov), "trak");
		int mdia = find(buffer, body(buffer, trak), end(buffer, trak), "mdia");
		int mdhd = find(buffer, body(buffer, mdia), end(buffer, mdia), "mdhd");
		int at = body(buffer, mdhd);
		int version = buffer.get(at) & 0xff;
		// version 1: creation and modification times are 64-bit; version 0: 32-bit.
		return buffer.getInt(at + 4 + (version == 1 ? 16 : 8)) & 0xffffffffL;
	}

	/**
	 * The RFC 6381 codec of an H.264 track's init section, as HLS's {@code CODECS} names it:
	 * {@code avc1.} and the profile, constraint flags and level of its {@code avcC} box, in hex
	 * ({@code avc1.640028}: High, level 4.0). Null when the first sample entry is not {@code avc1}
	 * or {@code avc3}.
	 */
	static String avcCodec(Path init) throws IOException {
		return avcCodec(Files.readAllBytes(init));
	}

	/** As {@link #avcCodec(Path)}, of an init section's bytes. */
	static String avcCodec(byte[] init) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(init);
		int moov = find(buffer, 0, buffer.limit(), "moov");
		int trak = find(buffer, body(buffer, moov), end(buffer, moov), "trak");
		int mdia = find(buffer, body(buffer, trak), end(buffer, trak), "mdia");
		int minf = find(buffer, body(buffer, mdia), end(buffer, mdia), "minf");
		int stbl = find(buffer, body(buffer, minf), end(buffer, minf), "stbl");
		int stsd = find(buffer, body(buffer, stbl), end(buffer, stbl), "stsd");
		// A full box (version, flags) with an entry count, then the sample entries.
		int entry = body(buffer, stsd) + 8;
		String kind = type(buffer, entry);
		if (!kind.equals("avc1") && !kind.equals("avc3")) {
			return null;
		}
		// A visual sample entry's own fields take 78 bytes; its boxes (avcC, pasp, btrt) follow.
		int avcc = find(buffer, body(buffer, entry) + 78, end(buffer, entry), "avcC");
		int at = body(buffer, avcc);
		if (at + 4 > end(buffer, avcc)) {
			throw new IOException("an avcC box too short for its profile and level");
		}
		return String.format("%s.%02x%02x%02x", kind, buffer.get(at + 1) & 0xff, buffer.get(at + 2) & 0xff,
				buffer.get(at + 3) & 0xff);
	}

	/** Adds {@code ticks} to the decode time of every fragment of a segment; returns how many it moved. */
	static int shiftDecodeTimes(Path segment, long ticks) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(segment));
		int moved = 0;
		int at = 0;
		while (at < buffer.limit()) {
			int end = end(buffer, at);
			if (type(buffer, at).equals("moof")) {
				int traf = body(buffer, at);
				while (traf < end) {
					if (type(buffer, traf).equals("traf")) {
						int tfdt = find(buffer, body(buffer, traf), end(buffer, traf), "tfdt");
						int field = body(buffer, tfdt) + 4;
						if ((buffer.get(body(buffer, tfdt)) & 0xff) == 1) {
							buffer.putLong(field, buffer.getLong(field) + ticks);
						}
						else {
							long value = (buffer.getInt(field) & 0xffffffffL) + ticks;
							if (value > 0xffffffffL) {
								throw new IOException("a 32-bit decode time cannot hold " + value + " in " + segment.getFileName());
							}
							buffer.putInt(field, (int) value);
						}
						moved++;
					}
					traf = end(buffer, traf);
				}
			}
			at = end;
		}
		Files.write(segment, buffer.array());
		return moved;
	}

	private static int find(ByteBuffer buffer, int from, int to, String type) throws IOException {
		for (int at = from; at < to; at = end(buffer, at)) {
			if (type(buffer, at).equals(type)) {
				return at;
			}
		}
		throw new IOException("no " + type + " box");
	}

	private static String type(ByteBuffer buffer, int at) {
		byte[] name = new byte[4];
		buffer.get(at + 4, name);
		return new String(name, java.nio.charset.StandardCharsets.ISO_8859_1);
	}

	private static int body(ByteBuffer buffer, int at) {
		return at + (buffer.getInt(at) == 1 ? 16 : 8);
	}

	private static int end(ByteBuffer buffer, int at) throws IOException {
		long size = buffer.getInt(at) & 0xffffffffL;
		if (size == 1) {
			size = buffer.getLong(at + 8);
		}
		else if (size == 0) {
			size = buffer.limit() - at;
		}
		if (size < 8 || at + size > buffer.limit()) {
			throw new IOException("a box does not fit in its file");
		}
		return (int) (at + size);
	}
}
