package dev.videoforge.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A tus 1.0.0 client (https://tus.io/protocols/resumable-upload): creation, then PATCH in
 * chunks, each with a sha1 {@code Upload-Checksum}; after a lost connection, a 409 or a busy
 * server it asks for the offset with HEAD and goes on from there. The upload URL is remembered
 * ({@link ResumeStore}) from the moment it exists, so running the same command again after
 * Ctrl-C or a crash continues where the server stopped.
 */
final class TusUpload {

	static final long DEFAULT_CHUNK = 8L << 20;
	private static final int MAX_FAILURES = 6;

	/** What the user asked for; {@code limitRate} is bytes per second, 0 for no limit. */
	record Options(String title, String description, String visibility, long chunkSize, long limitRate, boolean quiet) {
	}

	/** The video (upload) id, how many bytes this run sent, and the offset it started from. */
	record Result(String videoId, long sent, long startedAt, long size) {
	}

	private final Api api;
	private final Terminal term;
	private final ResumeStore store;

	TusUpload(Api api, Terminal term, ResumeStore store) {
		this.api = api;
		this.term = term;
		this.store = store;
	}

	Result upload(LocalFile file, Options options) throws IOException, InterruptedException {
		String key = ResumeStore.key(api.server(), file);
		String url = store.get(key);
		long offset = 0;
		if (url != null) {
			Long remote = head(url, file.size());
			if (remote == null) {
				store.forget(key);
				url = null;
				say("the earlier upload of this file is no longer on the server; starting again");
			}
			else {
				offset = remote;
			}
		}
		if (url == null) {
			url = create(file, options);
			store.remember(key, url, file);
		}
		else {
			say(String.format(java.util.Locale.ROOT, "resuming at %d%%: %s of %s are already on the server (upload %s)",
					offset * 100 / file.size(), Units.bytes(offset), Units.bytes(file.size()), idOf(url)));
		}
		long startedAt = offset;
		try (UploadRun run = new UploadRun(term, options.quiet(), file.size(), offset, url)) {
			long sent = send(key, url, file, offset, options, run.progress);
			run.finish();
			store.forget(key);
			return new Result(idOf(url), sent, startedAt, file.size());
		}
	}

	/** PATCHes from {@code offset} to the end; returns the bytes the server kept from this run. */
	private long send(String key, String url, LocalFile file, long offset, Options options, Progress progress)
			throws IOException, InterruptedException {
		Throttle throttle = options.limitRate() > 0 ? new Throttle(options.limitRate()) : null;
		long sent = 0;
		int failures = 0;
		boolean lost = false;
		// Resumed with every byte on the server: the final PATCH is sent again (empty). The server
		// answers it as before, or completes an upload whose completion was cut short.
		boolean confirm = offset >= file.size();
		try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
			while (true) {
				if (lost) {
					// Where is the server now? Part of the last chunk may have arrived, or none of it.
					try {
						offset = resync(key, url, file);
						lost = false;
						// Every byte arrived but the answer did not: the final PATCH again learns how it ended.
						confirm = offset >= file.size();
					}
					catch (IOException e) {
						failures = pause(++failures, null, "the server cannot be reached (" + describe(e) + ")", progress);
						continue;
					}
				}
				if (offset >= file.size() && !confirm) {
					break;
				}
				confirm = false;
				byte[] chunk = read(channel, offset, (int) Math.min(options.chunkSize(), file.size() - offset));
				long base = offset;
				LongConsumer onSent = progress == null ? n -> {
				} : n -> progress.update(base + n);
				HttpRequest.Builder patch = api.streaming(url).timeout(patchTimeout(chunk.length, options.limitRate()))
						.header("Tus-Resumable", Api.TUS_VERSION)
						.header("Upload-Offset", String.valueOf(base))
						.header("Content-Type", "application/offset+octet-stream")
						.header("Upload-Checksum", "sha1 " + sha1(chunk))
						.method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
								HttpRequest.BodyPublishers.ofInputStream(() -> new Metered(chunk, onSent, throttle)),
								chunk.length));
				HttpResponse<String> response;
				try {
					response = api.sendAuthed(patch);
				}
				catch (IOException e) {
					if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
						throw e;
					}
					failures = pause(++failures, null, "the connection failed (" + describe(e) + ")", progress);
					lost = true;
					continue;
				}
				int status = response.statusCode();
				if (status == 204 || status == 200) {
					long next = response.headers().firstValue("Upload-Offset").map(Long::parseLong).orElse(base + chunk.length);
					sent += next - base;
					offset = next;
					failures = 0;
					if (progress != null) {
						progress.update(offset);
					}
				}
				else if (status == 409 || status == 460 || status == 429 || status >= 500) {
					// 409: the server is elsewhere (a chunk of an earlier run still arriving); 460: bytes
					// damaged on the way; 429, 5xx: busy or down for a moment.
					failures = pause(++failures, response.headers().firstValue("Retry-After").orElse(null),
							Api.errorMessage(response), progress);
					lost = true;
				}
				else if (status == 404 || status == 410) {
					store.forget(key);
					throw CliException.failed("the upload is no longer on the server (it expired or was deleted); "
							+ "run the command again to start over");
				}
				else {
					// 400, 413, 415, 422: the file itself is refused, and the server dropped the upload.
					store.forget(key);
					throw api.error("the server refused " + file.path().getFileName(), response);
				}
			}
		}
		return sent;
	}

	/**
	 * How long a PATCH may take before it counts as stalled (a server or proxy that stopped
	 * answering) and is retried from the server's offset: a minute, plus the chunk at the rate
	 * limit or, without one, at a slow 64 KiB/s.
	 */
	static java.time.Duration patchTimeout(long chunkBytes, long limitRate) {
		long rate = limitRate > 0 ? limitRate : 64 * 1024;
		return java.time.Duration.ofSeconds(60 + chunkBytes / rate);
	}

	/** Creation: POST with the length and metadata; returns the upload URL (Location). */
	private String create(LocalFile file, Options options) throws IOException, InterruptedException {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("filename", file.path().getFileName().toString());
		metadata.put("title", options.title());
		metadata.put("description", options.description());
		metadata.put("visibility", options.visibility());
		HttpResponse<String> response = api.sendAuthed(api.request("/api/uploads").header("Tus-Resumable", Api.TUS_VERSION)
				.header("Upload-Length", String.valueOf(file.size())).header("Upload-Metadata", metadata(metadata))
				.POST(HttpRequest.BodyPublishers.noBody()));
		if (response.statusCode() != 201) {
			throw api.error("cannot start the upload", response);
		}
		return response.headers().firstValue("Location")
				.map(location -> api.uri(location).toString())
				.orElseThrow(() -> CliException.failed("the server created the upload but sent no Location"));
	}

	/** The server's offset for the upload, or null when it no longer has it (or it is of another file). */
	private Long head(String url, long size) throws IOException, InterruptedException {
		HttpResponse<String> response = api.sendAuthed(api.request(url).header("Tus-Resumable", Api.TUS_VERSION)
				.method("HEAD", HttpRequest.BodyPublishers.noBody()));
		if (response.statusCode() == 404 || response.statusCode() == 410 || response.statusCode() == 403) {
			return null;
		}
		if (response.statusCode() != 200) {
			throw api.error("cannot ask the server how much of the upload it has", response);
		}
		long length = response.headers().firstValue("Upload-Length").map(Long::parseLong).orElse(size);
		if (length != size) {
			return null;
		}
		return response.headers().firstValue("Upload-Offset").map(Long::parseLong)
				.orElseThrow(() -> CliException.failed("the server's HEAD answer has no Upload-Offset"));
	}

	private long resync(String key, String url, LocalFile file) throws IOException, InterruptedException {
		Long remote = head(url, file.size());
		if (remote == null) {
			store.forget(key);
			throw CliException.failed("the upload is no longer on the server (it expired or was deleted); "
					+ "run the command again to start over");
		}
		return remote;
	}

	private int pause(int failures, String retryAfter, String why, Progress progress) throws InterruptedException {
		return pause(term, failures, retryAfter, why, progress);
	}

	/**
	 * Waits before a retry (Retry-After, else 1, 2, 4... s); gives up after {@value #MAX_FAILURES}
	 * failures in a row. Returns {@code failures}.
	 */
	static int pause(Terminal term, int failures, String retryAfter, String why, Progress progress) throws InterruptedException {
		if (failures > MAX_FAILURES) {
			throw CliException.failed("upload stopped after " + MAX_FAILURES + " failed attempts: " + why
					+ "; run the same command again to resume");
		}
		long seconds = Math.min(30, 1L << (failures - 1));
		if (retryAfter != null) {
			try {
				seconds = Math.max(1, Math.min(300, Long.parseLong(retryAfter.trim())));
			}
			catch (NumberFormatException e) {
				// an HTTP date: keep the backoff
			}
		}
		if (progress != null) {
			progress.end();
		}
		term.err.println("videoforge: " + why + "; retrying in " + seconds + " s");
		Thread.sleep(seconds * 1000);
		return failures;
	}

	private void say(String message) {
		term.err.println("videoforge: " + message);
	}

	static String idOf(String url) {
		String path = java.net.URI.create(url).getPath();
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** "Upload-Metadata ... key-value pairs ... separated by a space ... The value MUST be Base64 encoded." */
	static String metadata(Map<String, String> values) {
		List<String> pairs = new ArrayList<>();
		values.forEach((k, v) -> {
			if (v != null) {
				pairs.add(k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
			}
		});
		return String.join(",", pairs);
	}

	static byte[] read(FileChannel channel, long offset, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer, offset + buffer.position()) < 0) {
				throw CliException.failed("the file became shorter while uploading; run the command again");
			}
		}
		return buffer.array();
	}

	private static String sha1(byte[] chunk) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(chunk));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	static String describe(IOException e) {
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}

	/** Keeps the average rate of a whole run at or under a number of bytes per second. */
	static final class Throttle {

		private final long bytesPerSecond;
		private final long start = System.nanoTime();
		private long taken;

		Throttle(long bytesPerSecond) {
			this.bytesPerSecond = bytesPerSecond;
		}

		long bytesPerSecond() {
			return bytesPerSecond;
		}

		/** How much to read at once: about a tenth of a second's worth. */
		int slice() {
			return (int) Math.max(1024, Math.min(64 * 1024, bytesPerSecond / 10));
		}

		synchronized void take(int bytes) throws InterruptedIOException {
			taken += bytes;
			long due = start + (long) (taken * 1e9 / bytesPerSecond);
			long wait = due - System.nanoTime();
			if (wait > 0) {
				try {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted");
				}
			}
		}
	}

	/** A chunk as the HTTP client pulls it: reports each read and holds to the rate limit. */
	static final class Metered extends InputStream {

		private final ByteArrayInputStream in;
		private final LongConsumer onRead;
		private final Throttle throttle;
		private long count;

		Metered(byte[] chunk, LongConsumer onRead, Throttle throttle) {
			this.in = new ByteArrayInputStream(chunk);
			this.onRead = onRead;
			this.throttle = throttle;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = in.read(b, off, throttle == null ? len : Math.min(len, throttle.slice()));
			if (n > 0) {
				if (throttle != null) {
					throttle.take(n);
				}
				count += n;
				onRead.accept(count);
			}
			return n;
		}
	}
}
