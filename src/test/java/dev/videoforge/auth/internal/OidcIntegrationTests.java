package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.videoforge.support.ApiClient;
import dev.videoforge.support.Media;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Access tokens of an OpenID Connect provider (as Cognito or Keycloak issue them), checked
 * against a JWKS the test itself serves on loopback with its own key pair.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "videoforge.queue.poll-interval=200ms", "videoforge.auth.oidc.audience=videoforge-client" })
class OidcIntegrationTests {

	static final RSAKey KEY;
	static final RSAKey OTHER_KEY;
	static final HttpServer JWKS;
	static final String ISSUER;

	static {
		try {
			KEY = new RSAKeyGenerator(2048).keyID("test-key").generate();
			OTHER_KEY = new RSAKeyGenerator(2048).keyID("test-key").generate();
			JWKS = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			byte[] jwks = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			JWKS.createContext("/realms/test/jwks.json", exchange -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, jwks.length);
				exchange.getResponseBody().write(jwks);
				exchange.close();
			});
			JWKS.start();
			ISSUER = "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/realms/test";
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		var data = Files.createTempDirectory("videoforge-oidc-");
		registry.add("videoforge.data-dir", data::toString);
		registry.add("videoforge.auth.oidc.issuer", () -> ISSUER);
		registry.add("videoforge.auth.oidc.jwks-uri", () -> ISSUER + "/jwks.json");
	}

	@AfterAll
	static void stop() {
		JWKS.stop(0);
	}

	@Value("${local.server.port}")
	int port;

	private static String token(RSAKey key, String issuer, String subject, String audience, Instant expires, String name)
			throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
				.issueTime(new Date()).expirationTime(Date.from(expires)).claim("preferred_username", name).build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
				.build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	@Test
	void acceptsTheProvidersTokensAndMapsThemToOneLocalAccount() throws Exception {
		ApiClient anonymous = new ApiClient("http://127.0.0.1:" + port);
		String token = token(KEY, ISSUER, "f3a1-subject", "videoforge-client", Instant.now().plusSeconds(300), "Jane.Doe@example.org");
		var me = ApiClient.json(anonymous.as(token).get("/api/auth/me"));
		assertThat(me.path("username").asString()).isEqualTo("jane.doe");
		assertThat(me.path("roles").toString()).isEqualTo("[\"USER\"]");
		String localId = me.path("id").asString();

		String again = token(KEY, ISSUER, "f3a1-subject", "videoforge-client", Instant.now().plusSeconds(300), "renamed");
		assertThat(ApiClient.json(anonymous.as(again).get("/api/auth/me")).path("id").asString()).as("same person")
				.isEqualTo(localId);

		// The mapped account owns what it uploads.
		var upload = anonymous.as(token).multipart(Media.real("mp3_vbr_xing.mp3"), "From the provider", "PRIVATE");
		assertThat(upload.statusCode()).isEqualTo(201);
		assertThat(ApiClient.json(upload).path("owner").path("id").asString()).isEqualTo(localId);
		assertThat(anonymous.as(token).awaitFinal(ApiClient.json(upload).path("id").asString(), Duration.ofMinutes(2))
				.path("status").asString()).isEqualTo("READY");
	}

	/** A Cognito ID token: right issuer, audience and signature, but not an access token. */
	private static String idToken(Instant expires) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("s").audience("videoforge-client")
				.issueTime(new Date()).expirationTime(Date.from(expires)).claim("token_use", "id").build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(KEY));
		return jwt.serialize();
	}

	@Test
	void refusesTokensThatFailAnyCheck() throws Exception {
		ApiClient anonymous = new ApiClient("http://127.0.0.1:" + port);
		Instant later = Instant.now().plusSeconds(300);
		List<String> refused = List.of(
				token(KEY, ISSUER, "s", "another-client", later, "wrong-audience"),
				token(KEY, ISSUER, "s", "videoforge-client", Instant.now().minusSeconds(120), "expired"),
				token(OTHER_KEY, ISSUER, "s", "videoforge-client", later, "forged"),
				token(KEY, "http://127.0.0.1:1/realms/elsewhere", "s", "videoforge-client", later, "other-issuer"),
				idToken(later),
				new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).subject("s").audience("videoforge-client")
						.expirationTime(Date.from(later)).build()).serialize(),
				"not.a.token");
		for (String token : refused) {
			var response = anonymous.as(token).get("/api/auth/me");
			assertThat(response.statusCode()).as(token.length() > 30 ? token.substring(0, 30) : token).isEqualTo(401);
			assertThat(ApiClient.json(response).path("error").asString()).isEqualTo("unauthenticated");
		}
		// This server's own tokens still work beside the provider's.
		ApiClient local = anonymous.signUp("localuser", "correct horse battery");
		assertThat(local.get("/api/auth/me").statusCode()).isEqualTo(200);
	}
}
