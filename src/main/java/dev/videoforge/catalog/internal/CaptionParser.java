package dev.videoforge.catalog.internal;

import dev.videoforge.shared.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a caption file, WebVTT or SubRip, into cues whose text is already cleaned
 * ({@link CueText}). Strict: what is not UTF-8 text in one of the two formats is refused (415),
 * a cue whose timing is malformed or backwards is refused (422) with its line number, and the
 * limits (cue count, cue length, the video's length) are kept. No Java library on Maven Central
 * parses both formats and is kept up, hence this one, written after the W3C WebVTT spec
 * ("WebVTT: The Web Video Text Tracks Format", §4 syntax, §6.1 parsing) and the de-facto SubRip
 * layout (index line, {@code hh:mm:ss,mmm --> hh:mm:ss,mmm}, text, blank line).
 */
public final class CaptionParser {

	/** One cue: times in milliseconds, text as WebVTT cue text (escaped, harmless tags only). */
	public record Cue(long start, long end, String text) {
	}

	/**
	 * What a file may hold: at most {@code maxCues} cues of at most {@code maxCueLength}
	 * characters each; a cue starting after {@code lastMillis} is dropped, one ending after it cut.
	 */
	public record Limits(int maxCues, int maxCueLength, long lastMillis) {
	}

	/**
	 * §4.3 "WebVTT timestamp": optional hours (two or more digits), minutes and seconds of two
	 * digits in 00..59, a full stop and exactly three digits of fraction.
	 */
	private static final String VTT_TIME = "(?:(\\d{2,6}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})";

	/** §4.3 "WebVTT cue timings": a timestamp, one or more spaces or tabs, "-->", one or more, a timestamp; settings after. */
	private static final Pattern VTT_TIMING = Pattern.compile("^" + VTT_TIME + "[ \\t]+-->[ \\t]+" + VTT_TIME + "(?:[ \\t].*)?$");

	/** SubRip: {@code hh:mm:ss,mmm}; the full stop some writers use and short fractions are read too. */
	private static final String SRT_TIME = "(\\d{1,6}):([0-5]\\d):([0-5]\\d)[,.](\\d{1,3})";

	/** SubRip's timing line; writers add coordinates ({@code X1:... Y2:...}) after it, which are dropped. */
	private static final Pattern SRT_TIMING = Pattern.compile("^[ \\t]*" + SRT_TIME + "[ \\t]*-->[ \\t]*" + SRT_TIME + "(?:[ \\t].*)?$");

	private static final Pattern SRT_INDEX = Pattern.compile("^[ \\t]*\\d{1,9}[ \\t]*$");

	/** C0 controls other than tab, line feed and carriage return, and DEL: not text. */
	private static final Pattern BINARY = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

	private CaptionParser() {
	}

	/** Parses and cleans; throws {@link Refusal} 415 (not a caption file) or 422 (a caption file we refuse). */
	public static List<Cue> parse(byte[] bytes, Limits limits) {
		String text = normalize(decode(bytes));
		List<String> lines = List.of(text.split("\n", -1));
		int first = 0;
		while (first < lines.size() && lines.get(first).isBlank()) {
			first++;
		}
		if (first == 0 && isVttSignature(lines.get(0))) {
			return vtt(lines, limits);
		}
		if (first < lines.size() && (SRT_TIMING.matcher(lines.get(first)).matches()
				|| SRT_INDEX.matcher(lines.get(first)).matches() && first + 1 < lines.size()
						&& lines.get(first + 1).contains("-->"))) {
			// A cue number then a line with "-->": SubRip, whose timings are then checked one by one.
			return srt(lines, first, limits);
		}
		throw unsupported("the file is neither WebVTT (it would start with \"WEBVTT\") nor SubRip (a cue number, then a timing such as 00:00:01,000 --> 00:00:02,000)");
	}

	/** UTF-8 only (WebVTT §4.1 "WebVTT files must be encoded in UTF-8"; SubRip has no declaration, so we ask the same). */
	static String decode(byte[] bytes) {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException e) {
			throw unsupported("the file is not UTF-8 text (save it as UTF-8 WebVTT or SubRip)");
		}
		if (BINARY.matcher(text).find()) {
			throw unsupported("the file holds control characters: it is binary, not a caption file");
		}
		if (text.isBlank()) {
			throw unsupported("the file is empty");
		}
		return text;
	}

	/** §6.1 steps: drop one leading BOM; CRLF and lone CR become LF. */
	static String normalize(String text) {
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		return text.replace("\r\n", "\n").replace('\r', '\n');
	}

	/** §4.1 the file body starts with "WEBVTT", then a space, a tab or the end of the line. */
	private static boolean isVttSignature(String line) {
		return line.equals("WEBVTT") || line.startsWith("WEBVTT ") || line.startsWith("WEBVTT\t");
	}

	private static List<Cue> vtt(List<String> lines, Limits limits) {
		List<Cue> cues = new ArrayList<>();
		int i = 1;
		// §6.1: the lines right after the signature, up to the first blank line, are the header: ignored.
		while (i < lines.size() && !lines.get(i).isEmpty()) {
			i++;
		}
		while (i < lines.size()) {
			if (lines.get(i).isBlank()) {
				i++;
				continue;
			}
			int blockStart = i;
			String head = lines.get(i);
			// §4.5-4.7: NOTE, STYLE and REGION blocks are never carried over (comments may hold anything).
			if (!head.contains("-->") && (head.startsWith("NOTE") || head.equals("STYLE") || head.startsWith("STYLE ")
					|| head.equals("REGION") || head.startsWith("REGION "))) {
				i = skipBlock(lines, i);
				continue;
			}
			int timingLine;
			if (head.contains("-->")) {
				timingLine = i;
			}
			else if (i + 1 < lines.size() && lines.get(i + 1).contains("-->")) {
				timingLine = i + 1; // the first line is the cue's identifier, which is not kept
			}
			else {
				// §6.1: a block that is not a cue is ignored.
				i = skipBlock(lines, i);
				continue;
			}
			Matcher m = VTT_TIMING.matcher(lines.get(timingLine).strip());
			if (!m.matches()) {
				throw invalid("line " + (timingLine + 1) + ": \"" + excerpt(lines.get(timingLine))
						+ "\" is not a cue timing (hh:mm:ss.ttt --> hh:mm:ss.ttt)");
			}
			long start = millis(m.group(1), m.group(2), m.group(3), m.group(4));
			long end = millis(m.group(5), m.group(6), m.group(7), m.group(8));
			StringBuilder text = new StringBuilder();
			i = timingLine + 1;
			// §6.1: the cue text runs to a blank line, or to a line holding "-->" (the next cue).
			while (i < lines.size() && !lines.get(i).isEmpty() && !lines.get(i).contains("-->")) {
				text.append(lines.get(i)).append('\n');
				i++;
			}
			add(cues, blockStart, start, end, CueText.clean(text.toString(), true), limits);
		}
		return done(cues);
	}

	private static List<Cue> srt(List<String> lines, int i, Limits limits) {
		List<Cue> cues = new ArrayList<>();
		while (i < lines.size()) {
			if (lines.get(i).isBlank()) {
				i++;
				continue;
			}
			int blockStart = i;
			if (SRT_INDEX.matcher(lines.get(i)).matches() && i + 1 < lines.size() && lines.get(i + 1).contains("-->")) {
				i++;
			}
			Matcher m = SRT_TIMING.matcher(lines.get(i));
			if (!m.matches()) {
				throw invalid("line " + (i + 1) + ": \"" + excerpt(lines.get(i))
						+ "\" is not a SubRip cue timing (hh:mm:ss,mmm --> hh:mm:ss,mmm)");
			}
			long start = millis(m.group(1), m.group(2), m.group(3), fraction(m.group(4)));
			long end = millis(m.group(5), m.group(6), m.group(7), fraction(m.group(8)));
			StringBuilder text = new StringBuilder();
			i++;
			while (i < lines.size() && !lines.get(i).isBlank() && !SRT_TIMING.matcher(lines.get(i)).matches()) {
				text.append(lines.get(i)).append('\n');
				i++;
			}
			add(cues, blockStart, start, end, CueText.clean(text.toString(), false), limits);
		}
		return done(cues);
	}

	/** Checks one cue and keeps it when it lies within the video and holds text. */
	private static void add(List<Cue> cues, int line, long start, long end, String text, Limits limits) {
		if (end <= start) {
			throw invalid("line " + (line + 1) + ": the cue ends (" + WebVtt.timestamp(end) + ") before it starts ("
					+ WebVtt.timestamp(start) + ")");
		}
		if (text.length() > limits.maxCueLength()) {
			throw invalid("line " + (line + 1) + ": a cue holds at most " + limits.maxCueLength() + " characters");
		}
		if (start >= limits.lastMillis() || text.isEmpty()) {
			return; // past the video's end, or nothing left to show once cleaned
		}
		if (cues.size() >= limits.maxCues()) {
			throw invalid("a caption file holds at most " + limits.maxCues() + " cues");
		}
		cues.add(new Cue(start, Math.min(end, limits.lastMillis()), text));
	}

	private static List<Cue> done(List<Cue> cues) {
		if (cues.isEmpty()) {
			throw invalid("the file holds no cue with text within the video's length");
		}
		// Players expect cues in start order (WebVTT §4.1 "ordered by start time"); a stable sort keeps ties as written.
		List<Cue> sorted = new ArrayList<>(cues);
		sorted.sort(java.util.Comparator.comparingLong(Cue::start));
		return List.copyOf(sorted);
	}

	private static int skipBlock(List<String> lines, int i) {
		while (i < lines.size() && !lines.get(i).isEmpty()) {
			i++;
		}
		return i;
	}

	private static String fraction(String digits) {
		// ",5" is half a second, ",05" five hundredths: the digits are a decimal fraction.
		return (digits + "00").substring(0, 3);
	}

	private static long millis(String hours, String minutes, String seconds, String fraction) {
		long h = hours == null ? 0 : Long.parseLong(hours);
		return ((h * 60 + Integer.parseInt(minutes)) * 60 + Integer.parseInt(seconds)) * 1000 + Integer.parseInt(fraction);
	}

	private static String excerpt(String line) {
		String shown = line.strip().replaceAll("[^\\x20-\\x7E]", "?");
		return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
	}

	static Refusal unsupported(String message) {
		return new Refusal.UnsupportedType("unsupported_caption", message);
	}

	static Refusal invalid(String message) {
		return new Refusal.Unacceptable("invalid_caption", message);
	}
}
