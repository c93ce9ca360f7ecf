package dev.videoforge.auth.internal;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.videoforge.auth.AuthSettings;
import dev.videoforge.auth.CurrentUser;
import dev.videoforge.limits.RateLimiter;
import dev.videoforge.shared.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** TOTP multi-factor auth (API.md: setup, enable, verify, disable) with single-use recovery codes. */
@RestController
@RequestMapping("/api/auth/mfa")
class MfaController {

	static final int RECOVERY_CODES = 10;

	record Setup(String secret, String otpauthUri, String qrCodePng) {
	}

	record EnableRequest(@NotNull String code) {
	}

	/**
	 * The recovery codes, and a new session for the caller (the same token fields as login's
	 * answer): enabling MFA ends every session opened with the password alone, the caller's too.
	 */
	record Enabled(List<String> recoveryCodes, String accessToken, String refreshToken, long expiresIn) {
	}

	record VerifyRequest(@NotNull String mfaToken, @NotNull String code) {
	}

	record SetupRequest(String password) {
	}

	/** The current password and a current code (TOTP or an unused recovery code). */
	record ProofRequest(@NotNull String password, @NotNull String code) {
	}

	record RecoveryCodes(List<String> recoveryCodes) {
	}

	private final UserRepository users;
	private final CredentialStore credentials;
	private final TokenService tokens;
	private final JwtDecoder mfaDecoder;
	private final AuthSettings settings;
	private final LoginGuard guard;
	private final RateLimiter limiter;

	MfaController(UserRepository users, CredentialStore credentials, TokenService tokens,
			@Qualifier("mfaDecoder") JwtDecoder mfaDecoder, AuthSettings settings, LoginGuard guard, RateLimiter limiter) {
		this.limiter = limiter;
		this.users = users;
		this.credentials = credentials;
		this.tokens = tokens;
		this.mfaDecoder = mfaDecoder;
		this.settings = settings;
		this.guard = guard;
	}

	/**
	 * A new secret to scan; MFA is on only once a code from it is confirmed ({@link #enable}). It needs
	 * the current password: a stolen access token alone must not bind the thief's authenticator.
	 */
	@PostMapping("/setup")
	Setup setup(@RequestBody(required = false) SetupRequest body, HttpServletRequest request) {
		var user = users.findById(CurrentUser.require().id()).orElseThrow(AuthController::unknownAccount);
		if (user.mfaEnabled()) {
			throw new Refusal.Conflict("mfa_already_enabled", "multi-factor authentication is already on for this account");
		}
		guard.checkPassword(user.username(), user.passwordHash(), body == null ? null : body.password(),
				limiter.clientAddress(request));
		String secret = Totp.newSecret();
		users.setPendingMfaSecret(user.id(), secret);
		String issuer = settings.totpIssuer();
		// Key URI Format (google-authenticator wiki): otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…
		String uri = "otpauth://totp/" + encode(issuer) + ":" + encode(user.username()) + "?secret=" + secret + "&issuer="
				+ encode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
		return new Setup(secret, uri, "data:image/png;base64," + Base64.getEncoder().encodeToString(qrPng(uri)));
	}

	@PostMapping("/enable")
	Enabled enable(@Valid @RequestBody EnableRequest body, HttpServletRequest request) {
		var user = users.findById(CurrentUser.require().id()).orElseThrow(AuthController::unknownAccount);
		if (user.mfaEnabled()) {
			throw new Refusal.Conflict("mfa_already_enabled", "multi-factor authentication is already on for this account");
		}
		if (user.mfaSecret() == null) {
			throw new Refusal.Conflict("mfa_not_set_up", "call /api/auth/mfa/setup first");
		}
		long[] step = { -1 };
		guard.checkCode(user.id(), limiter.clientAddress(request), () -> {
			step[0] = Totp.matchingStep(user.mfaSecret(), body.code().trim(), Instant.now().getEpochSecond());
			return step[0] >= 0;
		}, () -> new Refusal.Invalid("invalid_code", "that code does not match the secret; check the "
				+ "time on the device and try the next code"));
		users.enableMfa(user.id(), step[0]);
		// Sessions opened with the password alone end: from now on every session has passed the second factor.
		credentials.revokeAll(user.id());
		List<String> recoveryCodes = credentials.newRecoveryCodes(user.id(), RECOVERY_CODES);
		// The caller has just proved both factors: it goes on with a session of its own, issued after the revocation.
		TokenService.Tokens fresh = tokens.issue(user.id(), user.username(), user.privileges());
		return new Enabled(recoveryCodes, fresh.accessToken(), fresh.refreshToken(), fresh.expiresIn());
	}

	/** The second login step: a current TOTP code (once) or an unused recovery code. */
	@PostMapping("/verify")
	TokenService.Tokens verify(@Valid @RequestBody VerifyRequest body, HttpServletRequest request) {
		Jwt challenge;
		try {
			challenge = mfaDecoder.decode(body.mfaToken());
		}
		catch (JwtException e) {
			throw new Refusal.Unauthenticated("invalid_token", "the MFA token is invalid or expired; log in again");
		}
		limiter.consume("account", challenge.getSubject(), limiter.settings().accountPerMinute(), java.time.Duration.ofMinutes(1));
		var user = users.findById(challenge.getSubject()).filter(UserRepository.User::mfaEnabled)
				.orElseThrow(() -> new Refusal.Unauthenticated("invalid_token", "log in again"));
		String address = limiter.clientAddress(request);
		checkSecondFactor(user, body.code(), address);
		guard.loggedIn(user.username(), address);
		return tokens.issue(user.id(), user.username(), user.privileges());
	}

	/**
	 * Turns MFA off with the current password and a current code; the secret and recovery codes are
	 * forgotten and every other session of the account ends.
	 */
	@PostMapping("/disable")
	ResponseEntity<Void> disable(@Valid @RequestBody ProofRequest body, HttpServletRequest request) {
		var user = proven(body, request);
		users.disableMfa(user.id());
		credentials.deleteRecoveryCodes(user.id());
		credentials.revokeAllBut(user.id(), sessionOfCaller());
		return ResponseEntity.noContent().build();
	}

	/** A new set of recovery codes, with the current password and a current code; the old set is void. */
	@PostMapping("/recovery-codes")
	RecoveryCodes renewRecoveryCodes(@Valid @RequestBody ProofRequest body, HttpServletRequest request) {
		var user = proven(body, request);
		return new RecoveryCodes(credentials.newRecoveryCodes(user.id(), RECOVERY_CODES));
	}

	/** The caller's account, once the password and a code are proven (both throttled). */
	private UserRepository.User proven(ProofRequest body, HttpServletRequest request) {
		var user = users.findById(CurrentUser.require().id()).orElseThrow(AuthController::unknownAccount);
		String address = limiter.clientAddress(request);
		guard.checkPassword(user.username(), user.passwordHash(), body.password(), address);
		if (!user.mfaEnabled()) {
			throw new Refusal.Conflict("mfa_not_enabled", "multi-factor authentication is off for this account");
		}
		checkSecondFactor(user, body.code(), address);
		return user;
	}

	/** A current TOTP code (each step once) or an unused recovery code; 401 {@code invalid_code} otherwise. */
	private void checkSecondFactor(UserRepository.User user, String rawCode, String address) {
		String code = rawCode.trim();
		guard.checkCode(user.id(), address, () -> {
			long step = Totp.matchingStep(user.mfaSecret(), code, Instant.now().getEpochSecond());
			return step >= 0 ? users.useStep(user.id(), step) : credentials.useRecoveryCode(user.id(), code);
		}, () -> new Refusal.Unauthenticated("invalid_code", "wrong or already used code"));
	}

	/** The session of the caller's access token ({@code sid}); null for tokens that carry none. */
	private static String sessionOfCaller() {
		var authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof Jwt jwt
				? jwt.getClaimAsString(TokenService.SESSION_CLAIM) : null;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	static byte[] qrPng(String text) {
		try {
			BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 256, 256,
					Map.of(EncodeHintType.MARGIN, 2));
			BufferedImage image = new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
			for (int y = 0; y < matrix.getHeight(); y++) {
				for (int x = 0; x < matrix.getWidth(); x++) {
					image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xFFFFFF);
				}
			}
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			ImageIO.write(image, "png", png);
			return png.toByteArray();
		}
		catch (WriterException e) {
			throw new IllegalStateException("cannot draw the QR code", e);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
