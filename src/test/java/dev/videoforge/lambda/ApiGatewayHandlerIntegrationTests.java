package dev.videoforge.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import dev.videoforge.support.Media;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Lambda handler fed AWS's own sample events (../shared/fixtures/apigw, unmodified but for the
 * path and method), answering from the same database and files as the running application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiGatewayHandlerIntegrationTests extends AppIntegrationTest {

	private static final Path FIXTURES = Path.of("../shared/fixtures/apigw");

	@TempDir
	static Path temp;

	ApiGatewayHandler handler;
	ApiClient alice;
	String publicId;
	String privateId;

	@BeforeAll
	void videosAndAHandler() throws Exception {
		alice = newUser("lambda");
		Path clip = Media.testClip(temp.resolve("clip.mp4"), "640x360", 4);
		publicId = alice.tusUpload(clip, "Served by Lambda", "PUBLIC", 1 << 20).videoId();
		privateId = alice.tusUpload(clip, "Not for Lambda", "PRIVATE", 1 << 20).videoId();
		assertThat(alice.awaitFinal(publicId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");
		assertThat(alice.awaitFinal(privateId, Duration.ofMinutes(2)).path("status").asString()).isEqualTo("READY");

		// The function reads what the application wrote (same database file, same files and keys).
		// Set for its start only: system properties would leak into later applications of this JVM.
		String before = System.getProperty("videoforge.data-dir");
		String roles = System.getProperty("videoforge.roles");
		System.setProperty("videoforge.data-dir", data.toString());
		try {
			handler = new ApiGatewayHandler();
			// The first event waits for the application to be up.
			assertThat(invoke(v1("GET", "/api/gallery/videos/" + publicId)).path("statusCode").asInt()).isEqualTo(200);
		}
		finally {
			restore("videoforge.data-dir", before);
			restore("videoforge.roles", roles);
		}
	}


	@Test
	void restProxyEventsGetTheGalleryAsAnonymousUsers() throws Exception {
		JsonNode response = invoke(v1("GET", "/api/gallery/videos/" + publicId));
		assertThat(response.path("statusCode").asInt()).isEqualTo(200);
		JsonNode video = ApiClient.JSON.readTree(response.path("body").asString());
		assertThat(video.path("title").asString()).isEqualTo("Served by Lambda");
		assertThat(video.path("status").asString()).isEqualTo("READY");

		JsonNode hidden = invoke(v1("GET", "/api/gallery/videos/" + privateId));
		assertThat(hidden.path("statusCode").asInt()).isEqualTo(404);
		assertThat(ApiClient.JSON.readTree(hidden.path("body").asString()).path("error").asString()).isNotBlank();

		// A bearer token is checked here as at any other entry point.
		JsonNode owner = invoke(v1("GET", "/api/gallery/videos/" + privateId, "Bearer " + alice.token()));
		assertThat(owner.path("statusCode").asInt()).as("the owner sees a private video").isEqualTo(200);
	}

	@Test
	void httpApiEventsStreamPlaylistsAndBinarySegments() throws Exception {
		JsonNode qualities = invoke(v2("apigw_http_api_event_v2.json", "/api/stream/" + publicId + "/qualities", ""));
		assertThat(qualities.path("statusCode").asInt()).isEqualTo(200);
		JsonNode first = ApiClient.JSON.readTree(qualities.path("body").asString()).path("qualities").get(0);
		URI playlistUrl = URI.create(first.path("url").asString());

		JsonNode playlist = invoke(v2("apigw_http_api_event_v2.json", playlistUrl.getPath(), nullToEmpty(playlistUrl.getRawQuery())));
		assertThat(playlist.path("statusCode").asInt()).isEqualTo(200);
		String text = body(playlist);
		assertThat(text).startsWith("#EXTM3U");
		String segment = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
		URI segmentUrl = URI.create(playlistUrl.getPath()).resolve(segment);

		JsonNode media = invoke(v2("lambda_function_url_event.json", segmentUrl.getPath(), nullToEmpty(segmentUrl.getRawQuery())));
		assertThat(media.path("statusCode").asInt()).isEqualTo(200);
		assertThat(media.path("isBase64Encoded").asBoolean()).as("binary bodies are base64 for API Gateway").isTrue();
		byte[] fromLambda = Base64.getDecoder().decode(media.path("body").asString());
		byte[] fromServer = alice.getBytes(segmentUrl.toString()).body();
		assertThat(fromLambda).hasSizeGreaterThan(1000).isEqualTo(fromServer);
	}

	@Test
	void functionUrlEventsSearchTheGallery() throws Exception {
		JsonNode response = invoke(v2("lambda_function_url_event.json", "/api/gallery/videos", "q=Served+by+Lambda"));
		assertThat(response.path("statusCode").asInt()).isEqualTo(200);
		assertThat(body(response)).contains(publicId).doesNotContain(privateId);
	}

	@Test
	void writesAreRefusedWithTheErrorJson() throws Exception {
		// AWS's richer REST sample is a POST with neither "version" nor "isBase64Encoded".
		JsonNode response = invoke(Files.readString(FIXTURES.resolve("apigw_rest_proxy_event_v1_full.json")));
		assertThat(response.path("statusCode").asInt()).isEqualTo(405);
		assertThat(ApiClient.JSON.readTree(response.path("body").asString()).path("error").asString()).isEqualTo("method_not_allowed");
		assertThat(invoke(v1("DELETE", "/api/gallery/videos/" + publicId)).path("statusCode").asInt()).isEqualTo(405);
		assertThat(alice.get("/api/gallery/videos/" + publicId).statusCode()).as("still there").isEqualTo(200);
	}

	private JsonNode invoke(String event) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext());
		return ApiClient.JSON.readTree(out.toByteArray());
	}

	private static String body(JsonNode response) {
		String body = response.path("body").asString();
		return response.path("isBase64Encoded").asBoolean() ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
	}

	/** AWS's REST proxy sample with our path and method. */
	private static String v1(String method, String path) throws Exception {
		return v1(method, path, null);
	}

	private static String v1(String method, String path, String authorization) throws Exception {
		ObjectNode event = (ObjectNode) ApiClient.JSON.readTree(Files.readString(FIXTURES.resolve("apigw_rest_proxy_event_v1.json")));
		event.put("httpMethod", method).put("path", path).put("resource", "/{proxy+}");
		event.putObject("pathParameters").put("proxy", path.substring(1));
		event.putNull("queryStringParameters");
		event.putNull("multiValueQueryStringParameters");
		event.putNull("body");
		if (authorization != null) {
			((ObjectNode) event.path("headers")).put("Authorization", authorization);
			((ObjectNode) event.path("multiValueHeaders")).putArray("Authorization").add(authorization);
		}
		((ObjectNode) event.path("requestContext")).put("httpMethod", method).put("path", "/test" + path)
				.put("resourcePath", "/{proxy+}");
		return ApiClient.JSON.writeValueAsString(event);
	}

	/** AWS's HTTP API v2 or function URL sample with our path and query. */
	private static String v2(String fixture, String path, String query) throws Exception {
		ObjectNode event = (ObjectNode) ApiClient.JSON.readTree(Files.readString(FIXTURES.resolve(fixture)));
		event.put("rawPath", path).put("rawQueryString", query);
		ObjectNode parameters = event.putObject("queryStringParameters");
		for (String pair : query.split("&")) {
			if (!pair.isEmpty()) {
				String[] kv = pair.split("=", 2);
				parameters.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
						kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
			}
		}
		if (query.isEmpty()) {
			event.remove("queryStringParameters");
		}
		event.putNull("body");
		event.remove("pathParameters");
		if (event.has("routeKey")) {
			event.put("routeKey", "$default");
		}
		((ObjectNode) event.path("requestContext").path("http")).put("method", "GET").put("path", path);
		return ApiClient.JSON.writeValueAsString(event);
	}

	private static String nullToEmpty(String s) {
		return s == null ? "" : s;
	}

	private static void restore(String name, String value) {
		if (value == null) {
			System.clearProperty(name);
		}
		else {
			System.setProperty(name, value);
		}
	}

	/** The Lambda runtime's context object, as the runtime would pass it. */
	private static final class TestContext implements Context {
		public String getAwsRequestId() { return "test-request"; }
		public String getLogGroupName() { return "/aws/lambda/videoforge"; }
		public String getLogStreamName() { return "test"; }
		public String getFunctionName() { return "videoforge"; }
		public String getFunctionVersion() { return "$LATEST"; }
		public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:videoforge"; }
		public CognitoIdentity getIdentity() { return null; }
		public ClientContext getClientContext() { return null; }
		public int getRemainingTimeInMillis() { return 30_000; }
		public int getMemoryLimitInMB() { return 1024; }
		public LambdaLogger getLogger() {
			return new LambdaLogger() {
				public void log(String message) { System.out.println(message); }
				public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
			};
		}
	}
}
