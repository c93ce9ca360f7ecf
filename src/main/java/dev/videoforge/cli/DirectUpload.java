package dev.videoforge.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import tools.jackson.databind.JsonNode;

/**
 * An upload straight into the server's storage (docs/API.md, direct uploads): the server opens it
 * and signs each part; the parts go from here to the store (S3) with plain PUTs to the signed URLs,
 * so the bytes never pass through the server; then the server completes and checks it. Like
 * {@link TusUpload} it is remembered ({@link ResumeStore}) from the moment it exists: running the
 * same command again asks the server which parts the store has and sends the others.
 */
final class DirectUpload {

	private static final int SIGN_BATCH = 20;

	private final Api api;
	private final Terminal term;
	private final ResumeStore store;
	/** For the store: no credentials of ours go there, only the signed URLs. */
	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(java.time.Duration.ofSeconds(30)).build();

	DirectUpload(Api api, Terminal term, ResumeStore store) {
		this.api = api;
		this.term = term;
		this.store = store;
	}

	/** Whether the server offers direct uploads (a server without them answers 404, or enabled false). */
	static boolean offered(Api api) throws IOException, InterruptedException {
		HttpResponse<String> response = api.sendAuthed(api.request("/api/direct-uploads").GET());
		return response.statusCode() == 200 && api.parse(response).path("enabled").asBoolean(false);
	}

	TusUpload.Result upload(LocalFile file, TusUpload.Options options) throws IOException, InterruptedException {
		String key = ResumeStore.key(api.server(), file) + " direct";
		String path = store.get(key);
		JsonNode state = null;
		if (path != null) {
			HttpResponse<String> response = api.sendAuthed(api.request(path).GET());
			if (response.statusCode() == 200) {
				state = api.parse(response);
			}
			else if (response.statusCode() == 409) {
				// Complete already (this command stopped before it heard so): the same completion answers the video.
				if (!complete(key, path, file, null)) {
					throw CliException.failed("the server does not see the upload as complete; run the same command again");
				}
				store.forget(key);
				return new TusUpload.Result(path.substring(path.lastIndexOf('/') + 1), 0, file.size(), file.size());
			}
			else if (response.statusCode() == 404) {
				store.forget(key);
				path = null;
				say("the earlier upload of this file is no longer on the server; starting again");
			}
			else {
				throw api.error("cannot ask the server about the upload", response);
			}
		}
		if (path == null) {
			Map<String, String> fields = new HashMap<>();
			fields.put("filename", file.path().getFileName().toString());
			fields.put("title", options.title());
			fields.put("description", options.description());
			fields.put("visibility", options.visibility());
			fields.values().removeIf(java.util.Objects::isNull);
			var body = Json.object(fields);
			body.put("size", file.size());
			HttpResponse<String> response = api.sendAuthed(api.request("/api/direct-uploads")
					.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
			if (response.statusCode() != 201) {
				throw api.error("cannot start the upload", response);
			}
			JsonNode created = api.parse(response);
			path = "/api/direct-uploads/" + Json.text(created, "id");
			store.remember(key, path, file);
			state = created; // partSize and partCount; no part is there yet
		}
		String id = path.substring(path.lastIndexOf('/') + 1);
		long partSize = state.path("partSize").asLong();
		int partCount = state.path("partCount").asInt();
		Map<Integer, Long> received = new HashMap<>();
		state.path("parts").forEach(p -> received.put(p.path("number").asInt(), p.path("size").asLong()));
		long startedAt = received.values().stream().mapToLong(Long::longValue).sum();
		if (startedAt > 0) {
			say(String.format(java.util.Locale.ROOT, "resuming at %d%%: %s of %s are already in storage (upload %s)",
					startedAt * 100 / file.size(), Units.bytes(startedAt), Units.bytes(file.size()), id));
		}
		else if (!options.quiet()) {
			say("sending straight to the server's storage, in " + partCount + (partCount == 1 ? " part" : " parts of "
					+ Units.bytes(partSize)));
		}
		try (UploadRun run = new UploadRun(term, options.quiet(), file.size(), startedAt, api.uri(path).toString())) {
			Progress progress = run.progress;
			long sent = 0;
			TusUpload.Throttle throttle = options.limitRate() > 0 ? new TusUpload.Throttle(options.limitRate()) : null;
			for (int round = 0; ; round++) {
				List<Integer> missing = new ArrayList<>();
				for (int n = 1; n <= partCount; n++) {
					if (!received.containsKey(n)) {
						missing.add(n);
					}
				}
				long done = received.values().stream().mapToLong(Long::longValue).sum();
				sent += sendParts(path, file, partSize, missing, done, received, throttle, progress);
				if (complete(key, path, file, progress)) {
					break;
				}
				if (round >= 2) {
					throw CliException.failed("the store does not hold the parts sent; run the same command again to resume");
				}
				// The server names parts it does not see: ask which are there, send the others.
				received.clear();
				api.parse(api.sendAuthed(api.request(path).GET())).path("parts")
						.forEach(p -> received.put(p.path("number").asInt(), p.path("size").asLong()));
			}
			run.finish();
			store.forget(key);
			return new TusUpload.Result(id, sent, startedAt, file.size());
		}
	}

	/** Sends the parts, signed in batches; returns the bytes sent. */
	private long sendParts(String path, LocalFile file, long partSize, List<Integer> numbers, long done,
			Map<Integer, Long> received, TusUpload.Throttle throttle, Progress progress) throws IOException, InterruptedException {
		long sent = 0;
		long[] base = { done };
		try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
			for (int from = 0; from < numbers.size(); from += SIGN_BATCH) {
				List<Integer> batch = numbers.subList(from, Math.min(numbers.size(), from + SIGN_BATCH));
				Map<Integer, JsonNode> signed = sign(path, batch, progress);
				for (int number : batch) {
					JsonNode part = signed.get(number);
					long size = part.path("size").asLong();
					byte[] bytes = TusUpload.read(channel, (number - 1) * partSize, (int) size);
					int failures = 0;
					while (true) {
						long start = base[0];
						LongConsumer onSent = progress == null ? n -> {
						} : n -> progress.update(start + n);
						HttpRequest put = HttpRequest.newBuilder(URI.create(part.path("url").asString()))
								.timeout(TusUpload.patchTimeout(size, throttle == null ? 0 : throttle.bytesPerSecond()))
								.PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
										() -> new TusUpload.Metered(bytes, onSent, throttle)), size))
								.build();
						String why;
						String retryAfter = null;
						try {
							HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() == 200) {
								break;
							}
							if (response.statusCode() == 403) {
								// The signature ran out (a long pause): a fresh URL for this part.
								part = sign(path, List.of(number), progress).get(number);
							}
							retryAfter = response.headers().firstValue("Retry-After").orElse(null);
							why = "the storage answered " + response.statusCode();
						}
						catch (IOException e) {
							if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
								throw e;
							}
							why = "the connection to the storage failed (" + TusUpload.describe(e) + ")";
						}
						failures = TusUpload.pause(term, ++failures, retryAfter, why, progress);
					}
					received.put(number, size);
					base[0] += size;
					sent += size;
					if (progress != null) {
						progress.update(base[0]);
					}
				}
			}
		}
		return sent;
	}

	private Map<Integer, JsonNode> sign(String path, List<Integer> numbers, Progress progress)
			throws IOException, InterruptedException {
		int failures = 0;
		while (true) {
			var body = Json.object();
			numbers.forEach(body.putArray("numbers")::add);
			HttpResponse<String> response;
			try {
				response = api.sendAuthed(api.request(path + "/parts").header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
			}
			catch (IOException e) {
				failures = TusUpload.pause(term, ++failures, null, "the server cannot be reached (" + TusUpload.describe(e) + ")", progress);
				continue;
			}
			if (response.statusCode() == 200) {
				Map<Integer, JsonNode> byNumber = new HashMap<>();
				api.parse(response).path("parts").forEach(p -> byNumber.put(p.path("number").asInt(), p));
				return byNumber;
			}
			if (response.statusCode() == 429 || response.statusCode() >= 500) {
				failures = TusUpload.pause(term, ++failures, response.headers().firstValue("Retry-After").orElse(null),
						Api.errorMessage(response), progress);
				continue;
			}
			throw api.error("cannot get the storage's addresses for the upload", response);
		}
	}

	/** Asks the server to complete; true when it did, false when it names parts it does not see. */
	private boolean complete(String key, String path, LocalFile file, Progress progress) throws IOException, InterruptedException {
		int failures = 0;
		while (true) {
			if (progress != null) {
				progress.update("checking", file.size());
			}
			HttpResponse<String> response;
			try {
				// Probing a large file takes a while: no short timeout.
				response = api.sendAuthed(api.streaming(path + "/complete").timeout(java.time.Duration.ofMinutes(30))
						.POST(HttpRequest.BodyPublishers.noBody()));
			}
			catch (IOException e) {
				failures = TusUpload.pause(term, ++failures, null, "the server cannot be reached (" + TusUpload.describe(e) + ")", progress);
				continue;
			}
			int status = response.statusCode();
			if (status == 200) {
				return true;
			}
			if (status == 409 && Optional.ofNullable(Json.text(api.parse(response), "error")).orElse("").equals("upload_incomplete")) {
				return false;
			}
			if (status == 429 || status >= 500) {
				failures = TusUpload.pause(term, ++failures, response.headers().firstValue("Retry-After").orElse(null),
						Api.errorMessage(response), progress);
				continue;
			}
			if (status == 404) {
				store.forget(key);
				throw CliException.failed("the upload is no longer on the server (it expired or was deleted); "
						+ "run the command again to start over");
			}
			// 413, 415, 422: the file itself is refused, and the server dropped the upload.
			store.forget(key);
			throw api.error("the server refused " + file.path().getFileName(), response);
		}
	}

	private void say(String message) {
		term.err.println("videoforge: " + message);
	}
}
