package dev.videoforge.lambda;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.spring.SpringDelegatingLambdaContainerHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.videoforge.VideoForgeApplication;
import dev.videoforge.shared.ErrorBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Lambda entry point ({@code dev.videoforge.lambda.ApiGatewayHandler::handleRequest}): takes
 * API Gateway REST proxy (v1), HTTP API (v2) and function URL events and answers them with the
 * gallery and streaming controllers. Only reads are served here (GET, HEAD, OPTIONS); anything
 * else is 405 with API.md's error JSON, since writes belong to the gateway and gallery services.
 * Segments come back base64-encoded, as API Gateway wants binary bodies.
 */
public class ApiGatewayHandler implements RequestStreamHandler {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

	private final SpringDelegatingLambdaContainerHandler container;

	/** Starts the application once per Lambda execution environment (cold start). */
	public ApiGatewayHandler() throws ContainerInitializationException {
		LambdaDefaults.apply(System.getenv());
		this.container = new SpringDelegatingLambdaContainerHandler(VideoForgeApplication.class, LambdaDefaults.class);
	}

	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
		byte[] event = input.readAllBytes();
		String method = method(JSON.readTree(event));
		if (method == null || !READS.contains(method.toUpperCase())) {
			refuse(output, method);
			return;
		}
		container.handleRequest(new ByteArrayInputStream(event), output, context);
	}

	/** v1 names it {@code httpMethod}; v2 and function URLs {@code requestContext.http.method}. */
	static String method(JsonNode event) {
		JsonNode v1 = event.path("httpMethod");
		if (v1.isString()) {
			return v1.asString();
		}
		JsonNode v2 = event.path("requestContext").path("http").path("method");
		return v2.isString() ? v2.asString() : null;
	}

	private static void refuse(OutputStream output, String method) throws IOException {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("statusCode", 405);
		response.put("headers", Map.of("Content-Type", "application/json", "Allow", "GET, HEAD, OPTIONS"));
		response.put("body", new ErrorBody("method_not_allowed",
				(method == null ? "a request without a method" : method) + " is not served by this function: "
						+ "it answers gallery and streaming reads; send writes to the VideoForge gateway").json());
		response.put("isBase64Encoded", false);
		output.write(JSON.writeValueAsBytes(response));
	}
}
