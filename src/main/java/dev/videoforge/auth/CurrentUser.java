package dev.videoforge.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The account making the current request, as its verified access token says. An account's
 * privileges ({@link #USER}, {@link #ADMIN}) are what API.md's {@code /api/auth/me} and the access
 * token's claim call {@code roles}; in code "roles" are the process roles ({@code shared.Role}).
 */
public record CurrentUser(String id, String username, List<String> privileges) {

	/** Every account has it. */
	public static final String USER = "USER";

	/** An administrator: the first account, or one an administrator named. */
	public static final String ADMIN = "ADMIN";

	/** The access token's claim that holds the privileges (API.md's name for them). */
	public static final String PRIVILEGES_CLAIM = "roles";

	public boolean isAdmin() {
		return privileges.contains(ADMIN);
	}

	/** The caller, or empty for an anonymous request. */
	public static Optional<CurrentUser> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
			List<String> privileges = jwt.getClaimAsStringList(PRIVILEGES_CLAIM);
			return Optional.of(new CurrentUser(jwt.getSubject(), jwt.getClaimAsString("username"),
					privileges == null ? List.of() : privileges));
		}
		return Optional.empty();
	}

	/** The caller; only for routes the security configuration already requires a login for. */
	public static CurrentUser require() {
		return current().orElseThrow(() -> new IllegalStateException("route must require authentication"));
	}
}
