package dev.videoforge.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.support.ApiClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The account protections of issue #10 part 5, as an attacker meets them: the setup token, MFA
 * changes that need the password and a code, throttling that locks nobody out and tells nothing,
 * refresh tokens that never fork a session, TOTP secrets a database copy does not reveal
 * ({@link SessionLifetimeIntegrationTests}: sessions that end). Its own application: a fresh data directory (so a setup token file), short delays.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"videoforge.rate-limit.trust-forwarded-for=true", "videoforge.rate-limit.login-per-minute=1000",
		"videoforge.rate-limit.mfa-per-minute=1000", "videoforge.rate-limit.register-per-hour=1000",
		"videoforge.rate-limit.account-per-minute=20", "videoforge.auth.throttle-free-attempts=3",
		"videoforge.auth.throttle-delay=2s", "videoforge.auth.throttle-max-delay=1m",
		"videoforge.auth.refresh-reuse-grace=2s" })
class AccountSecurityIntegrationTests {

	private static final Path DATA;

	static {
		try {
			DATA = Files.createTempDirectory("videoforge-accounts-");
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@DynamicPropertySource
	static void data(DynamicPropertyRegistry registry) {
		registry.add("videoforge.data-dir", DATA::toString);
	}

	@Value("${local.server.port}")
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	UserRepository users;

	private ApiClient client() {
		return new ApiClient("http://127.0.0.1:" + port);
	}

	private static String unique(String prefix) {
		return prefix + Long.toString(System.nanoTime() % 100_000_000L, 36);
	}

	private HttpResponse<String> post(String path, String from, String token, Object body) throws Exception {
		ApiClient c = token == null ? client() : client().as(token);
		HttpRequest.Builder request = c.request(path).header("X-Forwarded-For", from).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : ApiClient.JSON.writeValueAsString(body)));
		return c.raw(request);
	}

	private HttpResponse<String> login(String from, String username, String password) throws Exception {
		return post("/api/auth/login", from, null, Map.of("username", username, "password", password));
	}

	private JsonNode register(String username, String password) throws Exception {
		var created = post("/api/auth/register", "10.0.0.1", null, Map.of("username", username, "password", password));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		var tokens = login("10.0.0.1", username, password);
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		return ApiClient.json(tokens);
	}

	private static String codeAt(String secret, long epochSeconds) {
		return Totp.code(Totp.decodeBase32(secret), Totp.step(epochSeconds), 6);
	}

	/** What an observer sees of an answer: status, body, and whether it says when to come back. */
	private static String seen(HttpResponse<String> response) {
		return response.statusCode() + " " + response.body() + " retryAfter=" + response.headers().firstValue("Retry-After").isPresent();
	}

	@Test
	void theFirstAdministratorNeedsTheSetupTokenAndOfRacingSignUpsOnlyOneGetsIt() throws Exception {
		Path tokenFile = DATA.resolve("secrets").resolve("setup-token");
		assertThat(ApiClient.json(client().get("/api/auth/setup")).path("adminSetupPending").asBoolean()).isTrue();
		assertThat(tokenFile).exists();
		String token = Files.readString(tokenFile).trim();
		assertThat(token).hasSizeGreaterThanOrEqualTo(32);

		// Registering first makes nobody administrator.
		var early = register(unique("early"), "the early bird phrase");
		var me = ApiClient.json(client().as(early.path("accessToken").asString()).get("/api/auth/me"));
		assertThat(me.path("roles").toString()).doesNotContain("ADMIN");
		var admin = client().as(early.path("accessToken").asString()).get("/api/admin/queue");
		assertThat(admin.statusCode()).isEqualTo(403);

		// A guessed token is refused and creates nothing.
		String guesser = unique("guess");
		var guessed = post("/api/auth/register", "10.0.0.2", null,
				Map.of("username", guesser, "password", "a guessing phrase", "setupToken", "0123456789abcdef0123456789abcdef"));
		assertThat(guessed.statusCode()).isEqualTo(403);
		assertThat(ApiClient.json(guessed).path("error").asString()).isEqualTo("invalid_setup_token");
		assertThat(login("10.0.0.2", guesser, "a guessing phrase").statusCode()).as("no account was made").isEqualTo(401);

		// Six sign-ups holding the real token at the same moment: exactly one becomes administrator.
		int racers = 6;
		ExecutorService pool = Executors.newFixedThreadPool(racers);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> answers = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			String name = unique("racer" + i);
			names.add(name);
			Callable<HttpResponse<String>> signUp = () -> {
				start.await();
				return post("/api/auth/register", "10.0.1.1", null,
						Map.of("username", name, "password", "a racing phrase", "setupToken", token));
			};
			answers.add(pool.submit(signUp));
		}
		start.countDown();
		List<String> winners = new ArrayList<>();
		for (int i = 0; i < racers; i++) {
			var answer = answers.get(i).get();
			if (answer.statusCode() == 201) {
				winners.add(names.get(i));
			}
			else {
				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
				assertThat(ApiClient.json(answer).path("error").asString()).isEqualTo("invalid_setup_token");
				assertThat(login("10.0.1.1", names.get(i), "a racing phrase").statusCode()).as("the loser has no account")
						.isEqualTo(401);
			}
		}
		pool.shutdown();
		assertThat(winners).hasSize(1);
		String winnerToken = ApiClient.json(login("10.0.1.1", winners.get(0), "a racing phrase")).path("accessToken").asString();
		assertThat(ApiClient.json(client().as(winnerToken).get("/api/auth/me")).path("roles").toString()).contains("ADMIN");
		assertThat(client().as(winnerToken).get("/api/admin/queue").statusCode()).isEqualTo(200);

		// The token is void and gone.
		assertThat(tokenFile).doesNotExist();
		assertThat(ApiClient.json(client().get("/api/auth/setup")).path("adminSetupPending").asBoolean()).isFalse();
		var again = post("/api/auth/register", "10.0.1.2", null,
				Map.of("username", unique("late"), "password", "a late phrase", "setupToken", token));
		assertThat(again.statusCode()).isEqualTo(403);
	}

	@Test
	void aStolenAccessTokenCannotBindTheThiefsAuthenticator() throws Exception {
		String name = unique("victim");
		String stolen = register(name, "the victim's phrase").path("accessToken").asString();
		for (Object body : new Object[] { null, Map.of(), Map.of("password", "a guess at it") }) {
			var refused = post("/api/auth/mfa/setup", "10.0.2.9", stolen, body);
			assertThat(refused.statusCode()).as(String.valueOf(body)).isEqualTo(401);
			assertThat(ApiClient.json(refused).path("error").asString()).isEqualTo("invalid_credentials");
			assertThat(refused.body()).doesNotContain("secret");
		}
		// Nothing was bound: enabling has no secret to confirm, and the owner still logs in with the password.
		assertThat(post("/api/auth/mfa/enable", "10.0.2.9", stolen, Map.of("code", "123456")).statusCode()).isEqualTo(409);
		var owner = login("10.0.0.1", name, "the victim's phrase");
		assertThat(ApiClient.json(owner).path("accessToken").asString()).isNotBlank();
		// The owner, who knows the password, sets it up.
		var setup = post("/api/auth/mfa/setup", "10.0.0.1", stolen, Map.of("password", "the victim's phrase"));
		assertThat(setup.statusCode()).isEqualTo(200);
		assertThat(ApiClient.json(setup).path("secret").asString()).matches("[A-Z2-7]{32}");
	}

	/** An account with MFA on: its secret, recovery codes and the enabling session's tokens. */
	private record MfaAccount(String name, String password, String secret, List<String> recovery, JsonNode session) {
	}

	private MfaAccount withMfa(String prefix) throws Exception {
		String name = unique(prefix);
		String password = "a second factor phrase";
		String access = register(name, password).path("accessToken").asString();
		String secret = ApiClient.json(post("/api/auth/mfa/setup", "10.0.0.1", access, Map.of("password", password)))
				.path("secret").asString();
		var enabled = post("/api/auth/mfa/enable", "10.0.0.1", access,
				Map.of("code", codeAt(secret, Instant.now().getEpochSecond())));
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		List<String> recovery = new ArrayList<>();
		ApiClient.json(enabled).path("recoveryCodes").forEach(c -> recovery.add(c.asString()));
		assertThat(recovery).as("recovery codes").hasSize(10);
		return new MfaAccount(name, password, secret, recovery, ApiClient.json(enabled));
	}

	private HttpResponse<String> secondStep(String name, String password, String code) throws Exception {
		String mfaToken = ApiClient.json(login("10.0.0.1", name, password)).path("mfaToken").asString();
		return post("/api/auth/mfa/verify", "10.0.0.1", null, Map.of("mfaToken", mfaToken, "code", code));
	}

	@Test
	void recoveryCodesAreRenewedAndMfaTurnedOffOnlyWithThePasswordAndACode() throws Exception {
		MfaAccount account = withMfa("owner");
		String access = account.session().path("accessToken").asString();
		String refresh = account.session().path("refreshToken").asString();
		// Another device's session, signed in with both factors.
		var elsewhere = secondStep(account.name(), account.password(), account.recovery().get(9));
		assertThat(elsewhere.statusCode()).isEqualTo(200);
		String otherRefresh = ApiClient.json(elsewhere).path("refreshToken").asString();

		// A stolen access token alone, or with a guessed code, renews nothing and turns nothing off.
		for (String route : List.of("/api/auth/mfa/recovery-codes", "/api/auth/mfa/disable")) {
			var noPassword = post(route, "10.0.3.9", access, Map.of("password", "a guess", "code", account.recovery().get(0)));
			assertThat(noPassword.statusCode()).isEqualTo(401);
			assertThat(ApiClient.json(noPassword).path("error").asString()).isEqualTo("invalid_credentials");
			var noCode = post(route, "10.0.0.1", access, Map.of("password", account.password(), "code", "000000"));
			assertThat(noCode.statusCode()).isEqualTo(401);
			assertThat(ApiClient.json(noCode).path("error").asString()).isEqualTo("invalid_code");
		}
		assertThat(ApiClient.json(client().as(access).get("/api/auth/me")).path("mfaEnabled").asBoolean()).isTrue();
		// The refused attempt did not use the recovery code up.
		var renewed = post("/api/auth/mfa/recovery-codes", "10.0.0.1", access,
				Map.of("password", account.password(), "code", account.recovery().get(0)));
		assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
		List<String> fresh = new ArrayList<>();
		ApiClient.json(renewed).path("recoveryCodes").forEach(c -> fresh.add(c.asString()));
		assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(account.recovery());
		assertThat(secondStep(account.name(), account.password(), account.recovery().get(1)).statusCode())
				.as("the old set is void").isEqualTo(401);
		assertThat(secondStep(account.name(), account.password(), fresh.get(1)).statusCode()).isEqualTo(200);

		// Off with the password and a current code: logging in is the password again, other sessions end, this one goes on.
		var off = post("/api/auth/mfa/disable", "10.0.0.1", access,
				Map.of("password", account.password(), "code", codeAt(account.secret(), Instant.now().getEpochSecond() + 30)));
		assertThat(off.statusCode()).as(off.body()).isEqualTo(204);
		assertThat(ApiClient.json(client().as(access).get("/api/auth/me")).path("mfaEnabled").asBoolean()).isFalse();
		var passwordOnly = ApiClient.json(login("10.0.0.1", account.name(), account.password()));
		assertThat(passwordOnly.path("accessToken").asString()).isNotBlank();
		assertThat(passwordOnly.has("mfaRequired")).isFalse();
		assertThat(post("/api/auth/refresh", "10.0.0.1", null, Map.of("refreshToken", otherRefresh)).statusCode())
				.as("the other device's session ended").isEqualTo(401);
		assertThat(post("/api/auth/refresh", "10.0.0.1", null, Map.of("refreshToken", refresh)).statusCode())
				.as("the caller's session goes on").isEqualTo(200);
	}

	@Test
	void guessingIsSlowedPerAccountAndAddressLocksNobodyOutAndLooksTheSameForUnknownNames() throws Exception {
		String name = unique("target");
		register(name, "the target's phrase");
		String ghost = unique("ghost");
		List<String> forVictim = new ArrayList<>();
		List<String> forGhost = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			forVictim.add(seen(login("10.0.4.1", name, "wrong guess " + i)));
			forGhost.add(seen(login("10.0.4.1", ghost, "wrong guess " + i)));
		}
		Instant throttled = Instant.now();
		// Throttled now: even the right password is refused, exactly like a wrong one, with no hint of when to retry.
		forVictim.add(seen(login("10.0.4.1", name, "the target's phrase")));
		forGhost.add(seen(login("10.0.4.1", ghost, "the target's phrase")));
		assertThat(forVictim).hasSize(4).allMatch(s -> s.equals(forVictim.get(0)));
		assertThat(forVictim.get(0)).startsWith("401 ").contains("invalid_credentials").endsWith("retryAfter=false");
		assertThat(forGhost).as("an unknown name answers the same").isEqualTo(forVictim);

		// The owner, elsewhere, is not locked out.
		assertThat(login("10.0.0.1", name, "the target's phrase").statusCode()).isEqualTo(200);

		// From the guessing address, the right password works again once the delay is over.
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		HttpResponse<String> attempt;
		do {
			Thread.sleep(300);
			attempt = login("10.0.4.1", name, "the target's phrase");
		}
		while (attempt.statusCode() != 200 && System.nanoTime() < deadline);
		assertThat(attempt.statusCode()).isEqualTo(200);
		assertThat(Duration.between(throttled, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void aFloodOfGuessesFromManyAddressesDoesNotLockTheOwnerOut() throws Exception {
		String name = unique("flooded");
		register(name, "the flooded phrase");
		assertThat(login("10.0.5.1", name, "the flooded phrase").statusCode()).isEqualTo(200);
		// Guess until the ceiling answers 429 with a wait of 2 s or more: the bucket refills one token
		// every 3 s, so how many guesses it takes depends on how fast the password checks run; what
		// must hold is that the next request, a moment later, waits too.
		HttpResponse<String> guess = null;
		for (int i = 0; i < 60; i++) {
			guess = login("10.0.6." + i, name, "guess " + i);
			assertThat(guess.statusCode()).isIn(401, 429);
			if (guess.statusCode() == 429
					&& Long.parseLong(guess.headers().firstValue("Retry-After").orElseThrow()) >= 2) {
				break;
			}
		}
		assertThat(guess.statusCode()).as("the per-account ceiling holds strangers back").isEqualTo(429);
		assertThat(login("10.0.7.1", name, "the flooded phrase").statusCode()).as("a new address waits too").isEqualTo(429);
		assertThat(login("10.0.5.1", name, "the flooded phrase").statusCode()).as("the owner's usual address does not")
				.isEqualTo(200);
	}

	@Test
	void aRefreshTokenUsedTwiceInTheGraceWindowGivesTheSameSuccessorAndLaterSignsEverySessionOut() throws Exception {
		String name = unique("tabs");
		String r1 = register(name, "two tabs phrase").path("refreshToken").asString();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> answers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			answers.add(pool.submit(() -> {
				start.await();
				return post("/api/auth/refresh", "10.0.8.1", null, Map.of("refreshToken", r1));
			}));
		}
		start.countDown();
		List<String> successors = new ArrayList<>();
		for (var answer : answers) {
			var response = answer.get();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			successors.add(ApiClient.json(response).path("refreshToken").asString());
		}
		pool.shutdown();
		assertThat(successors).as("one successor: the session did not fork").containsOnly(successors.get(0));
		String r2 = successors.get(0);
		assertThat(r2).isNotEqualTo(r1);
		String r3 = ApiClient.json(post("/api/auth/refresh", "10.0.8.1", null, Map.of("refreshToken", r2))).path("refreshToken")
				.asString();

		// Past the grace window, the copy of r1 someone kept signs every session out.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		HttpResponse<String> reused;
		do {
			Thread.sleep(300);
			reused = post("/api/auth/refresh", "10.0.8.2", null, Map.of("refreshToken", r1));
		}
		while (reused.statusCode() == 200 && System.nanoTime() < deadline);
		assertThat(reused.statusCode()).isEqualTo(401);
		assertThat(ApiClient.json(reused).path("error").asString()).isEqualTo("token_reused");
		assertThat(post("/api/auth/refresh", "10.0.8.1", null, Map.of("refreshToken", r3)).statusCode()).isEqualTo(401);
	}

	@Test
	void totpSecretsAreEncryptedAtRestAndSecretsStoredInClearBeforeAreMigrated() throws Exception {
		MfaAccount account = withMfa("sealed");
		String stored = jdbc.sql("SELECT mfa_secret FROM users WHERE username = ?").param(account.name()).query(String.class)
				.single();
		assertThat(stored).startsWith("v1:").doesNotContain(account.secret());
		byte[] raw = Base64.getDecoder().decode(stored.substring(3));
		assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain(account.secret());

		// A row written before encryption existed: encrypted at start, and its owner still logs in with the app's codes.
		String name = unique("legacy");
		register(name, "a legacy phrase");
		String secret = Totp.newSecret();
		jdbc.sql("UPDATE users SET mfa_secret = ?, mfa_enabled = TRUE WHERE username = ?").params(secret, name).update();
		assertThat(users.encryptPlaintextSecrets()).isGreaterThanOrEqualTo(1);
		String migrated = jdbc.sql("SELECT mfa_secret FROM users WHERE username = ?").param(name).query(String.class).single();
		assertThat(migrated).startsWith("v1:").doesNotContain(secret);
		var verified = secondStep(name, "a legacy phrase", codeAt(secret, Instant.now().getEpochSecond()));
		assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
	}
}
