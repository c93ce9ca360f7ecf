package dev.videoforge.cli;

import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events stream (https://html.spec.whatwg.org/multipage/server-sent-events.html,
 * "Interpreting an event stream") line by line: {@code event:} names the event (default
 * {@code message}), {@code data:} lines are joined with newlines, an empty line dispatches it.
 * Comments ({@code :} lines, the server's heartbeats) and other fields are ignored.
 */
final class EventStream {

	/** What to do with one event; true to stop reading. */
	@FunctionalInterface
	interface Listener {
		boolean on(String event, String data);
	}

	private EventStream() {
	}

	/** Dispatches each event of {@code lines} until the listener says stop or the stream ends. */
	static void read(Stream<String> lines, Listener listener) {
		String event = "message";
		StringBuilder data = new StringBuilder();
		for (Iterator<String> it = lines.iterator(); it.hasNext();) {
			String line = it.next();
			if (line.isEmpty()) {
				if (listener.on(event, data.toString())) {
					return;
				}
				event = "message";
				data.setLength(0);
			}
			else if (line.startsWith("event:")) {
				event = line.substring(6).strip();
			}
			else if (line.startsWith("data:")) {
				data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
			}
		}
	}
}
