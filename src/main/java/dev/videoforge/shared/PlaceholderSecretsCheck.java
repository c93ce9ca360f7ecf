package dev.videoforge.shared;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Before anything starts: a secret setting (a name with {@code secret}, {@code password},
 * {@code key} or {@code token} in it) still holding a placeholder of an example file, such as the
 * {@code change-me-...} or {@code replace-me-...} values deploy files used to ship, stops the
 * start and is named. A placeholder is public: tokens signed with it could be forged by anyone.
 * Leave a secret unset instead and a random one is made in {@code <data-dir>/secrets/}.
 */
class PlaceholderSecretsCheck implements EnvironmentPostProcessor {

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|key|token).*");
	static final Pattern PLACEHOLDER = Pattern.compile("(?i).*\\b(change|replace)[-_ ]?(me|this)\\b.*");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Set<String> refused = new TreeSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				if (!SECRET_NAME.matcher(name).matches()) {
					continue;
				}
				Object value = enumerable.getProperty(name);
				if (value instanceof CharSequence text && PLACEHOLDER.matcher(text).matches()) {
					refused.add(name);
				}
			}
		}
		if (!refused.isEmpty()) {
			throw new IllegalStateException("refusing to start: " + String.join(", ", refused) + " still hold"
					+ (refused.size() == 1 ? "s" : "") + " an example placeholder. Put a random value there (e.g. "
					+ "`openssl rand -base64 48`), or leave it unset to have one made in <data-dir>/secrets/ "
					+ "(see docs/CONFIGURATION.md)");
		}
	}
}
