package dev.videoforge.auth.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.videoforge.auth.AuthSettings;
import dev.videoforge.auth.CurrentUser;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.shared.Ids;
import dev.videoforge.shared.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Registration, login (with its MFA step), token refresh and revocation, "who am I" (API.md, Auth). */
@RestController
@RequestMapping("/api/auth")
class AuthController {

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,32}");

	/** Passwords too common to accept, whatever their length. */
	private static final Set<String> COMMON = Set.of("password", "password1", "password123", "12345678", "123456789",
			"1234567890", "qwertyuiop", "qwerty123", "iloveyou", "11111111", "00000000", "abc12345", "letmein1",
			"welcome1", "admin123", "passw0rd", "football", "baseball", "sunshine", "princess", "trustno1", "superman",
			"starwars", "whatever", "qwertyui", "asdfghjk", "zxcvbnm1", "1q2w3e4r", "videoforge");

	record Credentials(@NotNull String username, @NotNull String password) {
	}

	record Registration(@NotNull String username, @NotNull String password, String setupToken) {
	}

	record SetupStatus(boolean adminSetupPending) {
	}

	record RefreshRequest(@NotNull String refreshToken) {
	}

	record PasswordChange(@NotNull String currentPassword, @NotNull String newPassword) {
	}

	record Registered(String id, String username) {
	}

	record MfaChallenge(boolean mfaRequired, String mfaToken) {
	}

	record Me(String id, String username, @JsonProperty("roles") List<String> privileges, boolean mfaEnabled) {
	}

	private final UserRepository users;
	private final CredentialStore credentials;
	private final PasswordEncoder passwords;
	private final TokenService tokens;
	private final JwtDecoder refreshDecoder;
	private final AuthSettings settings;
	private final LoginGuard guard;
	private final RateLimiter limiter;
	private final FirstAdministrator firstAdministrator;
	private final TransactionTemplate transaction;

	AuthController(UserRepository users, CredentialStore credentials, PasswordEncoder passwords, TokenService tokens,
			@Qualifier("refreshDecoder") JwtDecoder refreshDecoder, AuthSettings settings, LoginGuard guard,
			RateLimiter limiter, FirstAdministrator firstAdministrator, TransactionTemplate transaction) {
		this.limiter = limiter;
		this.firstAdministrator = firstAdministrator;
		this.transaction = transaction;
		this.users = users;
		this.credentials = credentials;
		this.passwords = passwords;
		this.tokens = tokens;
		this.refreshDecoder = refreshDecoder;
		this.settings = settings;
		this.guard = guard;
	}

	/** Whether the install still waits for its administrator (the sign-up page then asks for the setup token). */
	@GetMapping("/setup")
	SetupStatus setupStatus() {
		return new SetupStatus(firstAdministrator.pending());
	}

	@PostMapping("/register")
	ResponseEntity<Registered> register(@Valid @RequestBody Registration body) {
		if (!USERNAME.matcher(body.username()).matches()) {
			throw new Refusal.Invalid("invalid_username",
					"a username is 3 to 32 letters, digits, dots, dashes or underscores");
		}
		checkStrength(body.username(), body.password());
		// "Alice" next to "alice" would let one pass for the other.
		if (users.findByUsernameIgnoreCase(body.username()).isPresent()) {
			throw new Refusal.Conflict("username_taken", "that username is taken");
		}
		// Only the install's one-time setup token makes an administrator; registering first does not.
		boolean admin = body.setupToken() != null && !body.setupToken().isBlank();
		if (admin && !firstAdministrator.matches(body.setupToken())) {
			throw invalidSetupToken();
		}
		List<String> privileges = admin ? List.of(CurrentUser.USER, CurrentUser.ADMIN) : List.of(CurrentUser.USER);
		var user = new UserRepository.User(Ids.newId(), body.username(), passwords.encode(body.password()), privileges);
		try {
			transaction.executeWithoutResult(status -> {
				// The claim's primary key settles a race of two sign-ups holding the token: one wins, the other creates nothing.
				if (admin && !firstAdministrator.claim(user.id())) {
					throw invalidSetupToken();
				}
				users.insert(user);
			});
		}
		catch (DuplicateKeyException e) {
			throw new Refusal.Conflict("username_taken", "that username is taken");
		}
		if (admin) {
			firstAdministrator.claimed(user.username());
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(new Registered(user.id(), user.username()));
	}

	/** The minimum strength rule: long enough, not the username, not one of the most common passwords. */
	private void checkStrength(String username, String password) {
		if (password.length() < settings.minPasswordLength()) {
			throw new Refusal.Invalid("weak_password",
					"a password needs at least " + settings.minPasswordLength() + " characters");
		}
		// bcrypt reads 72 bytes at most; longer would be silently cut (Spring Security refuses it).
		if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
			throw new Refusal.Invalid("weak_password", "a password has at most 72 bytes (about 72 Latin letters)");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (COMMON.contains(lower) || lower.contains(username.toLowerCase(Locale.ROOT))
				|| lower.chars().distinct().count() < 4) {
			throw new Refusal.Invalid("weak_password",
					"that password is too easy to guess: avoid your username, common passwords and repeated characters");
		}
	}

	/** Tokens, or the MFA challenge when the account has MFA on. */
	@PostMapping("/login")
	Object login(@Valid @RequestBody Credentials body, HttpServletRequest request) {
		String address = limiter.clientAddress(request);
		// Per account, from any address: guessing one account's password from many machines. An address
		// the account logged in from before is not held back by it, so a flood from elsewhere locks nobody out.
		if (!guard.knownAddress(body.username(), address)) {
			limiter.consume("account", body.username().toLowerCase(Locale.ROOT), limiter.settings().accountPerMinute(),
					java.time.Duration.ofMinutes(1));
		}
		var user = users.findByUsernameIgnoreCase(body.username()).orElse(null);
		guard.checkPassword(body.username(), user == null ? null : user.passwordHash(), body.password(), address);
		if (user.mfaEnabled()) {
			return new MfaChallenge(true, tokens.mfaToken(user.id()));
		}
		guard.loggedIn(user.username(), address);
		return tokens.issue(user.id(), user.username(), user.privileges());
	}

	/** A new pair for a refresh token, which is used up (rotation); a reused one revokes them all. */
	@PostMapping("/refresh")
	TokenService.Tokens refresh(@Valid @RequestBody RefreshRequest body) {
		Jwt jwt = decodeRefresh(body.refreshToken());
		var user = users.findById(jwt.getSubject()).orElseThrow(AuthController::invalidRefresh);
		return switch (credentials.useRefreshToken(jwt.getId(), user.id(), settings.refreshTokenTtl(),
				settings.sessionLifetime(), settings.refreshReuseGrace())) {
			case CredentialStore.Rotated(var successor) -> tokens.pair(successor, user.username(), user.privileges());
			case CredentialStore.Reused() -> throw new Refusal.Unauthenticated("token_reused",
					"this refresh token was used before; every session of the account was signed out");
			case CredentialStore.Invalid() -> throw invalidRefresh();
		};
	}

	/** Signs one session out: its refresh token stops working. */
	@PostMapping("/logout")
	ResponseEntity<Void> logout(@Valid @RequestBody RefreshRequest body) {
		Jwt jwt = decodeRefresh(body.refreshToken());
		credentials.revoke(jwt.getId());
		return ResponseEntity.noContent().build();
	}

	/** Changes the password and signs every session out. */
	@PostMapping("/password")
	ResponseEntity<Void> changePassword(@Valid @RequestBody PasswordChange body, HttpServletRequest request) {
		var user = users.findById(CurrentUser.require().id()).orElseThrow(AuthController::unknownAccount);
		guard.checkPassword(user.username(), user.passwordHash(), body.currentPassword(), limiter.clientAddress(request));
		checkStrength(user.username(), body.newPassword());
		users.setPassword(user.id(), passwords.encode(body.newPassword()));
		credentials.revokeAll(user.id());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/me")
	Me me() {
		var user = users.findById(CurrentUser.require().id()).orElseThrow(AuthController::unknownAccount);
		return new Me(user.id(), user.username(), user.privileges(), user.mfaEnabled());
	}

	private Jwt decodeRefresh(String token) {
		try {
			Jwt jwt = refreshDecoder.decode(token);
			if (jwt.getId() == null) {
				throw invalidRefresh();
			}
			return jwt;
		}
		catch (JwtException e) {
			throw invalidRefresh();
		}
	}

	private static Refusal invalidSetupToken() {
		return new Refusal.Forbidden("invalid_setup_token",
				"that is not this install's setup token, or it was used already; no account was created");
	}

	static Refusal unknownAccount() {
		return new Refusal.Unauthenticated("unknown_account", "the account of this token no longer exists");
	}

	private static Refusal invalidRefresh() {
		return new Refusal.Unauthenticated("invalid_token", "the refresh token is invalid, expired or revoked");
	}
}
