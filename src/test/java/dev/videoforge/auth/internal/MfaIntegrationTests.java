package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import dev.videoforge.support.AppIntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Register → set up MFA → enable → log in with the code → recovery codes, as an authenticator user does. */
class MfaIntegrationTests extends AppIntegrationTest {

	private static String codeAt(String secret, long epochSeconds) {
		return Totp.code(Totp.decodeBase32(secret), Totp.step(epochSeconds), 6);
	}

	private JsonNode login(String username, String password) throws Exception {
		var response = anonymous().send("POST", "/api/auth/login", Map.of("username", username, "password", password));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ApiClient.json(response);
	}

	@Test
	void loginNeedsTheSecondFactorOnceItIsOnAndRecoveryCodesWorkOnce() throws Exception {
		String name = "mfa" + Long.toString(System.nanoTime() % 1_000_000, 36);
		ApiClient user = anonymous().signUp(name, "a long pass phrase");
		var setup = ApiClient.json(user.send("POST", "/api/auth/mfa/setup", Map.of("password", "a long pass phrase")));
		String secret = setup.path("secret").asString();
		assertThat(secret).matches("[A-Z2-7]{32}");
		assertThat(setup.path("otpauthUri").asString()).startsWith("otpauth://totp/VideoForge:" + name + "?secret=" + secret)
				.contains("issuer=VideoForge", "digits=6", "period=30", "algorithm=SHA1");
		String png = setup.path("qrCodePng").asString();
		assertThat(png).startsWith("data:image/png;base64,");
		byte[] image = Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1));
		assertThat(new String(image, 1, 3)).isEqualTo("PNG");

		assertThat(user.send("POST", "/api/auth/mfa/enable", Map.of("code", "000000")).statusCode()).isEqualTo(400);
		long now = Instant.now().getEpochSecond();
		var enabled = user.send("POST", "/api/auth/mfa/enable", Map.of("code", codeAt(secret, now)));
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		List<String> recovery = new ArrayList<>();
		ApiClient.json(enabled).path("recoveryCodes").forEach(c -> recovery.add(c.asString()));
		assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
		assertThat(ApiClient.json(user.get("/api/auth/me")).path("mfaEnabled").asBoolean()).isTrue();

		// The password alone no longer gives tokens.
		var challenge = login(name, "a long pass phrase");
		assertThat(challenge.path("mfaRequired").asBoolean()).isTrue();
		assertThat(challenge.has("accessToken")).isFalse();
		String mfaToken = challenge.path("mfaToken").asString();
		assertThat(anonymous().as(mfaToken).get("/api/auth/me").statusCode()).as("an MFA token is no access token").isEqualTo(401);

		// The next step's code (allowed for clock drift) works once; the same code again is a replay.
		String code = codeAt(secret, now + 30);
		var tokens = anonymous().send("POST", "/api/auth/mfa/verify", Map.of("mfaToken", mfaToken, "code", code));
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		assertThat(ApiClient.json(tokens).path("accessToken").asString()).isNotBlank();
		String again = login(name, "a long pass phrase").path("mfaToken").asString();
		assertThat(anonymous().send("POST", "/api/auth/mfa/verify", Map.of("mfaToken", again, "code", code)).statusCode())
				.as("replayed code").isEqualTo(401);

		// A recovery code works once, then never again.
		var recovered = anonymous().send("POST", "/api/auth/mfa/verify", Map.of("mfaToken", again, "code", recovery.get(3)));
		assertThat(recovered.statusCode()).isEqualTo(200);
		String third = login(name, "a long pass phrase").path("mfaToken").asString();
		assertThat(anonymous().send("POST", "/api/auth/mfa/verify", Map.of("mfaToken", third, "code", recovery.get(3)))
				.statusCode()).isEqualTo(401);
		assertThat(anonymous().send("POST", "/api/auth/mfa/verify", Map.of("mfaToken", third, "code", recovery.get(4)))
				.statusCode()).isEqualTo(200);
		assertThat(user.send("POST", "/api/auth/mfa/setup", Map.of("password", "a long pass phrase")).statusCode())
				.as("already on").isEqualTo(409);
	}

	@Test
	void enablingMfaKeepsTheCallerSignedInAndEndsTheOtherSessions() throws Exception {
		String name = "keep" + Long.toString(System.nanoTime() % 1_000_000, 36);
		anonymous().signUp(name, "stay signed in please");
		var here = login(name, "stay signed in please");
		String elsewhere = login(name, "stay signed in please").path("refreshToken").asString();
		ApiClient browser = anonymous().as(here.path("accessToken").asString());

		String secret = ApiClient.json(browser.send("POST", "/api/auth/mfa/setup", Map.of("password", "stay signed in please")))
				.path("secret").asString();
		var enabled = browser.send("POST", "/api/auth/mfa/enable", Map.of("code", codeAt(secret, Instant.now().getEpochSecond())));
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		JsonNode body = ApiClient.json(enabled);
		assertThat(body.path("recoveryCodes")).hasSize(10);
		// A new session for the caller, in the shape of login's answer.
		String access = body.path("accessToken").asString();
		String refresh = body.path("refreshToken").asString();
		// (An access token issued in the same second as the login's may be the same string: it has no id.)
		assertThat(access).isNotBlank();
		assertThat(refresh).isNotBlank().isNotEqualTo(here.path("refreshToken").asString());
		assertThat(body.path("expiresIn").asLong()).isPositive();
		assertThat(ApiClient.json(anonymous().as(access).get("/api/auth/me")).path("mfaEnabled").asBoolean()).isTrue();

		// Its refresh token works (the browser stays signed in past the access token's 15 minutes)...
		var refreshed = anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", refresh));
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		assertThat(ApiClient.json(refreshed).path("accessToken").asString()).isNotBlank();
		// ...while the sessions opened with the password alone, this one's old token included, are over.
		for (String old : List.of(elsewhere, here.path("refreshToken").asString())) {
			var refused = anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", old));
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
		}
		// Refusing the old tokens did not count as theft: the new session goes on.
		var again = anonymous().send("POST", "/api/auth/refresh",
				Map.of("refreshToken", ApiClient.json(refreshed).path("refreshToken").asString()));
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
	}

	@Test
	void refreshTokensRotateAndAreRevokedByReuseLogoutAndPasswordChange() throws Exception {
		String name = "rot" + Long.toString(System.nanoTime() % 1_000_000, 36);
		anonymous().signUp(name, "rotate me please");
		var first = login(name, "rotate me please");
		String r1 = first.path("refreshToken").asString();
		var second = ApiClient.json(anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r1)));
		String r2 = second.path("refreshToken").asString();
		assertThat(r2).isNotEqualTo(r1);
		// A second refresh at the same moment (another tab) is not mistaken for theft, and gets the same successor...
		var twin = anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r1));
		assertThat(twin.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(twin).path("refreshToken").asString()).as("no second session").isEqualTo(r2);
		// ...but later, r1 is used up: using it again signs every session out, r2 included. Within the
		// grace window (3 s in the test application) it still answers with r2; tried until it is over.
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
		var reused = anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r1));
		while (reused.statusCode() == 200 && System.nanoTime() < deadline) {
			assertThat(ApiClient.json(reused).path("refreshToken").asString()).as("within the grace window").isEqualTo(r2);
			Thread.sleep(200);
			reused = anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r1));
		}
		assertThat(reused.statusCode()).isEqualTo(401);
		assertThat(ApiClient.json(reused).path("error").asString()).isEqualTo("token_reused");
		assertThat(anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r2)).statusCode()).isEqualTo(401);

		String r3 = login(name, "rotate me please").path("refreshToken").asString();
		assertThat(anonymous().send("POST", "/api/auth/logout", Map.of("refreshToken", r3)).statusCode()).isEqualTo(204);
		assertThat(anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r3)).statusCode()).isEqualTo(401);

		var session = login(name, "rotate me please");
		String r4 = session.path("refreshToken").asString();
		ApiClient signedIn = anonymous().as(session.path("accessToken").asString());
		assertThat(signedIn.send("POST", "/api/auth/password", Map.of("currentPassword", "wrong one", "newPassword",
				"a brand new phrase")).statusCode()).isEqualTo(401);
		assertThat(signedIn.send("POST", "/api/auth/password", Map.of("currentPassword", "rotate me please", "newPassword",
				"password")).statusCode()).as("weak").isEqualTo(400);
		assertThat(signedIn.send("POST", "/api/auth/password", Map.of("currentPassword", "rotate me please", "newPassword",
				"a brand new phrase")).statusCode()).isEqualTo(204);
		assertThat(anonymous().send("POST", "/api/auth/refresh", Map.of("refreshToken", r4)).statusCode()).isEqualTo(401);
		assertThat(login(name, "a brand new phrase").path("accessToken").asString()).isNotBlank();
	}
}
