package dev.videoforge.shared;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The roles one process plays ({@code videoforge.roles}): {@code all} (default) or any of
 * gateway, gallery, streaming, processor. Roles gate entry points only.
 */
public record Roles(Set<Role> enabled) {

	public static Roles parse(String value) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (String name : (value == null || value.isBlank() ? "all" : value).split(",")) {
			if (name.isBlank()) {
				continue;
			}
			if (name.strip().equalsIgnoreCase("all")) {
				return new Roles(EnumSet.allOf(Role.class));
			}
			try {
				roles.add(Role.of(name));
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("videoforge.roles: unknown role '" + name.strip() + "'; use all or any of "
						+ Arrays.toString(Role.values()));
			}
		}
		return new Roles(Set.copyOf(roles));
	}

	/** The roles this process was started with ({@code videoforge.roles}, default all). */
	public static Roles of(org.springframework.core.env.Environment environment) {
		return parse(environment.getProperty("videoforge.roles", "all"));
	}

	public boolean has(Role role) {
		return enabled.contains(role);
	}
}
