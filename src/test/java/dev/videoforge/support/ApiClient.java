package dev.videoforge.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the public HTTP API, as any program outside this repository would talk to it. */
public final class ApiClient {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private final String base;
	private String token;

	public ApiClient(String base) {
		this.base = base;
	}

	public String base() {
		return base;
	}

	public ApiClient as(String accessToken) {
		ApiClient other = new ApiClient(base);
		other.token = accessToken;
		return other;
	}

	public String token() {
		return token;
	}

	/** Registers (when new) and logs in; returns a client carrying the access token. */
	public ApiClient signUp(String username, String password) throws IOException, InterruptedException {
		return signUp(username, password, null);
	}

	/** As {@link #signUp(String, String)}, registering with the install's setup token (the administrator). */
	public ApiClient signUp(String username, String password, String setupToken) throws IOException, InterruptedException {
		send("POST", "/api/auth/register", setupToken == null ? Map.of("username", username, "password", password)
				: Map.of("username", username, "password", password, "setupToken", setupToken));
		var login = send("POST", "/api/auth/login", Map.of("username", username, "password", password));
		if (login.statusCode() != 200) {
			throw new IllegalStateException("login failed: " + login.body());
		}
		return as(json(login).path("accessToken").asString());
	}

	public HttpResponse<String> send(String method, String path, Object body) throws IOException, InterruptedException {
		HttpRequest.Builder request = request(path);
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
					.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = request(path).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<byte[]> getBytes(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = request(path).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	public HttpResponse<String> raw(HttpRequest.Builder request) throws IOException, InterruptedException {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	public static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/**
	 * {@code POST /api/gallery/videos/{id}/captions} as multipart/form-data; a null part is left out
	 * (to test its refusal).
	 */
	public HttpResponse<String> postCaption(String id, byte[] file, String filename, String language,
			String label) throws IOException, InterruptedException {
		String boundary = "vf" + UUID.randomUUID();
		List<byte[]> parts = new ArrayList<>();
		StringBuilder head = new StringBuilder();
		if (language != null) {
			head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\n")
					.append(language).append("\r\n");
		}
		if (label != null) {
			head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n")
					.append(label).append("\r\n");
		}
		if (file != null) {
			head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
					.append(filename).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
		}
		parts.add(head.toString().getBytes(StandardCharsets.UTF_8));
		if (file != null) {
			parts.add(file);
			parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
		}
		parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return raw(request("/api/gallery/videos/" + id + "/captions")
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofByteArrays(parts)));
	}

	// ------------------------------------------------------------------ tus

	/** Creates a tus upload; returns the response (Location holds the upload URL). */
	public HttpResponse<String> tusCreate(long length, Map<String, String> metadata) throws IOException, InterruptedException {
		List<String> pairs = new ArrayList<>();
		metadata.forEach((k, v) -> pairs.add(k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
		return raw(request("/api/uploads").header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(length))
				.header("Upload-Metadata", String.join(",", pairs)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	public HttpResponse<String> tusPatch(String location, long offset, byte[] chunk, String checksum)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = request(location).header("Tus-Resumable", "1.0.0")
				.header("Upload-Offset", String.valueOf(offset)).header("Content-Type", "application/offset+octet-stream")
				.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
		if (checksum != null) {
			request.header("Upload-Checksum", checksum);
		}
		return raw(request);
	}

	public HttpResponse<String> tusHead(String location) throws IOException, InterruptedException {
		return raw(request(location).header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
	}

	/**
	 * Uploads a whole file by tus in chunks of {@code chunkSize}, the last response being the
	 * one of the final PATCH; returns the video id (the upload id).
	 */
	public TusResult tusUpload(Path file, String title, String visibility, int chunkSize) throws IOException, InterruptedException {
		byte[] bytes = Files.readAllBytes(file);
		var created = tusCreate(bytes.length, Map.of("filename", file.getFileName().toString(), "title", title,
				"visibility", visibility));
		if (created.statusCode() != 201) {
			throw new IllegalStateException("tus create answered " + created.statusCode() + ": " + created.body());
		}
		String location = created.headers().firstValue("Location").orElseThrow();
		int offset = 0;
		HttpResponse<String> last = null;
		while (offset < bytes.length) {
			int end = Math.min(bytes.length, offset + chunkSize);
			last = tusPatch(location, offset, Arrays.copyOfRange(bytes, offset, end), null);
			if (last.statusCode() != 204) {
				return new TusResult(location.substring(location.lastIndexOf('/') + 1), location, last);
			}
			offset = end;
		}
		return new TusResult(location.substring(location.lastIndexOf('/') + 1), location, last);
	}

	public record TusResult(String videoId, String location, HttpResponse<String> lastResponse) {
	}

	/** Multipart upload to POST /api/videos. */
	public HttpResponse<String> multipart(Path file, String title, String visibility) throws IOException, InterruptedException {
		String boundary = "vf" + UUID.randomUUID();
		List<byte[]> parts = new ArrayList<>();
		String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n"
				+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"visibility\"\r\n\r\n" + visibility + "\r\n"
				+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
		parts.add(head.getBytes(StandardCharsets.UTF_8));
		parts.add(Files.readAllBytes(file));
		parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return raw(request("/api/videos").header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofByteArrays(parts)));
	}

	/** Polls the video until it is PROCESSING with at least {@code percent} progress. */
	public void awaitProgress(String videoId, int percent, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		JsonNode video = null;
		while (System.nanoTime() < deadline) {
			video = json(get("/api/gallery/videos/" + videoId));
			String status = video.path("status").asString();
			if (status.equals("PROCESSING") && video.path("progress").asInt() >= percent) {
				return;
			}
			if (!status.equals("QUEUED") && !status.equals("PROCESSING")) {
				throw new AssertionError("video " + videoId + " is " + status + " before reaching " + percent + "%");
			}
			Thread.sleep(200);
		}
		throw new AssertionError("transcode of " + videoId + " did not reach " + percent + "%; last: " + video);
	}

	/** Polls the video until it is READY or FAILED (or the time is up); returns its last JSON. */
	public JsonNode awaitFinal(String videoId, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		JsonNode video = null;
		while (System.nanoTime() < deadline) {
			var response = get("/api/gallery/videos/" + videoId);
			if (response.statusCode() == 200) {
				video = json(response);
				String status = video.path("status").asString();
				if (status.equals("READY") || status.equals("FAILED")) {
					return video;
				}
			}
			Thread.sleep(250);
		}
		throw new AssertionError("video " + videoId + " did not finish within " + timeout + "; last: " + video);
	}
}
