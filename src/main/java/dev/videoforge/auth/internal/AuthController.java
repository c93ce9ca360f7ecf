package dev.videoforge.auth.internal;

import dev.videoforge.auth.AuthSettings;
import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.ApiException;
import dev.videoforge.shared.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Registration, login, token refresh and "who am I" (API.md, Auth). */
@RestController
@RequestMapping("/api/auth")
class AuthController {

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,32}");

	record Credentials(@NotNull String username, @NotNull String password) {
	}

	record RefreshRequest(@NotNull String refreshToken) {
	}

	record Registered(String id, String username) {
	}

	record Me(String id, String username, List<String> roles, boolean mfaEnabled) {
	}

	private final UserRepository users;
	private final PasswordEncoder passwords;
	private final TokenService tokens;
	private final JwtDecoder decoder;
	private final AuthSettings settings;

	AuthController(UserRepository users, PasswordEncoder passwords, TokenService tokens,
			@Qualifier("refreshDecoder") JwtDecoder refreshDecoder,
			AuthSettings settings) {
		this.users = users;
		this.passwords = passwords;
		this.tokens = tokens;
		this.decoder = refreshDecoder;
		this.settings = settings;
	}

	@PostMapping("/register")
	ResponseEntity<Registered> register(@Valid @RequestBody Credentials body) {
		if (!USERNAME.matcher(body.username()).matches()) {
			throw ApiException.badRequest("invalid_username",
					"a username is 3 to 32 letters, digits, dots, dashes or underscores");
		}
		if (body.password().length() < settings.minPasswordLength() || body.password().length() > 256) {
			throw ApiException.badRequest("weak_password",
					"a password needs at least " + settings.minPasswordLength() + " characters");
		}
		if (users.findByUsername(body.username()).isPresent()) {
			throw ApiException.conflict("username_taken", "that username is taken");
		}
		// The account named in the settings administers the install; without one, the first account does.
		boolean admin = settings.adminUsername() != null && !settings.adminUsername().isBlank()
				? body.username().equals(settings.adminUsername()) : !users.any();
		List<String> roles = admin ? List.of("USER", "ADMIN") : List.of("USER");
		var user = new UserRepository.User(Ids.newId(), body.username(), passwords.encode(body.password()), roles);
		try {
			users.insert(user);
		}
		catch (DuplicateKeyException e) {
			throw ApiException.conflict("username_taken", "that username is taken");
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(new Registered(user.id(), user.username()));
	}

	@PostMapping("/login")
	TokenService.Tokens login(@Valid @RequestBody Credentials body) {
		var user = users.findByUsername(body.username())
				.filter(u -> passwords.matches(body.password(), u.passwordHash()))
				.orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials",
						"wrong username or password"));
		return tokens.issue(user.id(), user.username(), user.roles());
	}

	@PostMapping("/refresh")
	TokenService.Tokens refresh(@Valid @RequestBody RefreshRequest body) {
		Jwt jwt;
		try {
			jwt = decoder.decode(body.refreshToken());
		}
		catch (JwtException e) {
			throw invalidRefresh();
		}
		if (!"refresh".equals(jwt.getClaimAsString(TokenService.TYPE_CLAIM))) {
			throw invalidRefresh();
		}
		var user = users.findById(jwt.getSubject()).orElseThrow(AuthController::invalidRefresh);
		return tokens.issue(user.id(), user.username(), user.roles());
	}

	@GetMapping("/me")
	Me me() {
		CurrentUser caller = CurrentUser.require();
		var user = users.findById(caller.id()).orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED,
				"unknown_account", "the account of this token no longer exists"));
		return new Me(user.id(), user.username(), user.roles(), false);
	}

	private static ApiException invalidRefresh() {
		return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_token", "the refresh token is invalid or expired");
	}
}
