package dev.videoforge.shared;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles one process plays ({@code videoforge.roles}): {@code all} (default) or any of
 * gateway, gallery, streaming, processor. Roles gate entry points only.
 */
public record Roles(Set<String> enabled) {

	public static final Set<String> KNOWN = Set.of("gateway", "gallery", "streaming", "processor");

	public static Roles parse(String value) {
		Set<String> roles = Arrays.stream((value == null || value.isBlank() ? "all" : value).split(","))
				.map(String::trim).map(String::toLowerCase).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
		if (roles.contains("all")) {
			return new Roles(KNOWN);
		}
		for (String role : roles) {
			if (!KNOWN.contains(role)) {
				throw new IllegalArgumentException("videoforge.roles: unknown role '" + role + "'; use all or any of " + KNOWN);
			}
		}
		return new Roles(Set.copyOf(roles));
	}

	/** The roles this process was started with ({@code videoforge.roles}, default all). */
	public static Roles of(org.springframework.core.env.Environment environment) {
		return parse(environment.getProperty("videoforge.roles", "all"));
	}

	public boolean has(String role) {
		return enabled.contains(role);
	}
}
