package dev.videoforge.shared;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code videoforge.roles} includes the role of {@link OnRole}; logs one line per skipped role. */
class RoleCondition implements Condition {

	private static final Logger log = LoggerFactory.getLogger(RoleCondition.class);
	private static final Set<Role> logged = ConcurrentHashMap.newKeySet();

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Role role = metadata.getAnnotations().get(OnRole.class).getEnum("value", Role.class);
		Roles roles = Roles.of(context.getEnvironment());
		boolean on = roles.has(role);
		if (!on && logged.add(role)) {
			log.info("role {} not requested, skipping its entry points", role);
		}
		return on;
	}
}
