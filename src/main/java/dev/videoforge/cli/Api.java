package dev.videoforge.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The VideoForge HTTP API as the command line uses it: requests against one server, the Bearer
 * token of the stored session (refreshed shortly before it expires, and once more when the
 * server answers 401), and the API's error JSON turned into one readable sentence. The token goes
 * only to the server's own origin: a URL the server hands out (a tus Location) that points
 * elsewhere is refused rather than sent the token, and redirects are never followed.
 */
final class Api {

	static final String TUS_VERSION = "1.0.0";
	private static final Duration TIMEOUT = Duration.ofSeconds(60);
	private static final String REFRESH_LOCK = "refresh";

	private final HttpClient http;
	private final String server;
	private final Credentials credentials;
	private final String envToken;
	private final String loginHint;

	Api(String server, Credentials credentials, String envToken, String loginHint) {
		this.server = server;
		this.credentials = credentials;
		this.envToken = envToken;
		this.loginHint = loginHint;
		// HTTP/1.1: a plain-http server would otherwise be offered an h2c upgrade on every request.
		this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
				.followRedirects(HttpClient.Redirect.NEVER).build();
	}

	String server() {
		return server;
	}

	/** An absolute URI for an API path, or a URL the server handed out (a tus Location). */
	URI uri(String pathOrUrl) {
		return URI.create(server + "/").resolve(pathOrUrl.startsWith("/") ? pathOrUrl.substring(1) : pathOrUrl);
	}

	/** A request with the usual headers and a 60 s timeout. */
	HttpRequest.Builder request(String pathOrUrl) {
		return streaming(pathOrUrl).timeout(TIMEOUT);
	}

	/** A request without a timeout, for bodies that take long (a throttled chunk, an event stream). */
	HttpRequest.Builder streaming(String pathOrUrl) {
		return HttpRequest.newBuilder(uri(pathOrUrl)).header("User-Agent", Cli.userAgent());
	}

	/** A JSON request body. */
	static HttpRequest.BodyPublisher json(Map<String, String> body) {
		return HttpRequest.BodyPublishers.ofString(Json.write(Json.object(body)));
	}

	/** Sends without credentials. */
	<T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		return http.send(request.build(), handler);
	}

	HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return send(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Whether a token is at hand (a stored session or VIDEOFORGE_TOKEN). */
	boolean loggedIn() {
		return envToken != null || credentials.get(server).isPresent();
	}

	/**
	 * Sends with the Bearer token. A stored access token about to expire is refreshed first; a 401
	 * (expired early, or revoked) refreshes once and sends again. {@code request} is copied for
	 * each attempt, so its body publisher must be repeatable.
	 */
	<T> HttpResponse<T> sendAuthed(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		if (envToken != null) {
			HttpResponse<T> response = http.send(withToken(request, envToken), handler);
			if (response.statusCode() == 401) {
				throw CliException.auth("the server refused the token in VIDEOFORGE_TOKEN (expired or revoked?)");
			}
			return response;
		}
		Credentials.Session session = session();
		if (session.expiresSoon(Instant.now())) {
			session = refresh(session);
		}
		HttpResponse<T> response = http.send(withToken(request, session.accessToken()), handler);
		if (response.statusCode() != 401) {
			return response;
		}
		discard(response);
		session = refresh(session);
		response = http.send(withToken(request, session.accessToken()), handler);
		if (response.statusCode() == 401) {
			discard(response);
			throw CliException.auth("the server refused the session of " + session.username() + "; " + loginHint);
		}
		return response;
	}

	HttpResponse<String> sendAuthed(HttpRequest.Builder request) throws IOException, InterruptedException {
		return sendAuthed(request, HttpResponse.BodyHandlers.ofString());
	}

	/** Sends with the token when logged in, anonymously otherwise (for what anyone may read). */
	<T> HttpResponse<T> sendMaybeAuthed(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
			throws IOException, InterruptedException {
		return loggedIn() ? sendAuthed(request, handler) : send(request, handler);
	}

	HttpResponse<String> sendMaybeAuthed(HttpRequest.Builder request) throws IOException, InterruptedException {
		return sendMaybeAuthed(request, HttpResponse.BodyHandlers.ofString());
	}

	Credentials.Session session() {
		return credentials.get(server).orElseThrow(() -> CliException.auth("not logged in to " + server + "; " + loginHint));
	}

	/**
	 * Trades the refresh token for a new pair. Refresh tokens are single-use (the server signs
	 * every session out when one comes back), so this runs under a lock and first looks whether
	 * another command has refreshed meanwhile.
	 */
	private Credentials.Session refresh(Credentials.Session stale) throws IOException, InterruptedException {
		try (ConfigDir.Locked lock = credentials.config().lock(REFRESH_LOCK)) {
			Credentials.Session current = session();
			if (!java.util.Objects.equals(current.refreshToken(), stale.refreshToken())
					&& !current.expiresSoon(Instant.now())) {
				return current;
			}
			if (current.refreshToken() == null) {
				throw CliException.auth("the stored session on " + server + " cannot be renewed; " + loginHint);
			}
			HttpResponse<String> response = send(request("/api/auth/refresh").header("Content-Type", "application/json")
					.POST(json(Map.of("refreshToken", current.refreshToken()))));
			if (response.statusCode() == 401 || response.statusCode() == 400) {
				credentials.remove(server);
				throw CliException.auth("your session on " + server + " has ended (" + errorMessage(response) + "); "
						+ loginHint);
			}
			if (response.statusCode() != 200) {
				throw error("cannot refresh the session", response);
			}
			JsonNode tokens = parse(response);
			Credentials.Session fresh = current.withTokens(Json.text(tokens, "accessToken"),
					Instant.now().plusSeconds(tokens.path("expiresIn").asLong(900)), Json.text(tokens, "refreshToken"));
			credentials.put(server, fresh);
			return fresh;
		}
	}

	private HttpRequest withToken(HttpRequest.Builder request, String token) {
		HttpRequest built = request.copy().build();
		if (!sameOrigin(built.uri(), URI.create(server))) {
			throw CliException.failed("refusing to send your token to " + origin(built.uri()) + ": it is not " + server
					+ " (the server pointed there; is --server the right address?)");
		}
		return request.copy().setHeader("Authorization", "Bearer " + token).build();
	}

	/** Same scheme, host and port (a missing port is the scheme's own), as RFC 6454 compares origins. */
	static boolean sameOrigin(URI a, URI b) {
		return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
				&& a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	private static int port(URI uri) {
		return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

	/**
	 * A warning when {@code server} is plain http on a host other than this machine: the password
	 * and the token would cross the network readable by anyone on the way. Null when it is fine.
	 */
	static String plainHttpWarning(String server) {
		URI uri;
		try {
			uri = URI.create(server);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
		if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
			return null;
		}
		String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
		boolean local = host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
				|| host.equals("[::1]") || host.equals("::1");
		return local ? null : "warning: " + server + " is plain http: your password and token cross the network "
				+ "unencrypted; use https://";
	}

	private static void discard(HttpResponse<?> response) {
		if (response.body() instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ignored) {
				// only freeing the connection
			}
		}
		else if (response.body() instanceof java.util.stream.Stream<?> stream) {
			stream.close();
		}
	}

	/** The body as JSON; a body that is not JSON is an error naming the server. */
	JsonNode parse(HttpResponse<String> response) {
		try {
			return Json.parse(response.body());
		}
		catch (IllegalArgumentException e) {
			throw CliException.failed(server + " answered something that is not JSON (HTTP " + response.statusCode()
					+ "); is --server a VideoForge server?");
		}
	}

	/** A failure from an error response: {@code doing: message (code)}, with Retry-After when given. */
	CliException error(String doing, HttpResponse<String> response) {
		StringBuilder text = new StringBuilder();
		if (doing != null) {
			text.append(doing).append(": ");
		}
		text.append(errorMessage(response));
		response.headers().firstValue("Retry-After").ifPresent(s -> text.append("; try again in ").append(s).append(" s"));
		return new CliException(text.toString(), response.statusCode() == 401 ? Cli.AUTH : Cli.ERROR);
	}

	/** The API's {@code {"error", "message"}} as {@code message (error)}, or the bare status when the body is not that. */
	static String errorMessage(HttpResponse<String> response) {
		String code = null;
		String message = null;
		try {
			JsonNode body = Json.parse(response.body());
			code = Json.text(body, "error");
			message = Json.text(body, "message");
		}
		catch (IllegalArgumentException e) {
			// not the API's error JSON (a proxy's page, an empty body)
		}
		if (message == null) {
			return "the server answered HTTP " + response.statusCode() + (code == null ? "" : " (" + code + ")");
		}
		return message + (code == null ? "" : " (" + code + ")");
	}
}
