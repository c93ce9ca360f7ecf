package dev.videoforge.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/** The account making the current request, as its verified access token says. */
public record CurrentUser(String id, String username, List<String> roles) {

	public boolean isAdmin() {
		return roles.contains("ADMIN");
	}

	/** The caller, or empty for an anonymous request. */
	public static Optional<CurrentUser> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
			List<String> roles = jwt.getClaimAsStringList("roles");
			return Optional.of(new CurrentUser(jwt.getSubject(), jwt.getClaimAsString("username"),
					roles == null ? List.of() : roles));
		}
		return Optional.empty();
	}

	/** The caller; only for routes the security configuration already requires a login for. */
	public static CurrentUser require() {
		return current().orElseThrow(() -> new IllegalStateException("route must require authentication"));
	}
}
