package dev.videoforge.shared;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Before anything starts: every setting that a configuration file of the chosen shape
 * ({@code application-aws.yaml}, ...) takes from an environment variable without a default
 * ({@code ${VIDEOFORGE_S3_BUCKET}}) must be given. All the missing ones are named at once, with the
 * setting each feeds, instead of the first bean that trips over one.
 */
class RequiredSettingsCheck implements EnvironmentPostProcessor {

	/** {@code ${NAME}} with no {@code :default}. */
	private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Set<String> missing = new LinkedHashSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable) || !source.getName().contains("application")
					|| !source.getName().contains("Config resource")) {
				continue;
			}
			for (String name : enumerable.getPropertyNames()) {
				Object raw = enumerable.getProperty(name);
				if (!(raw instanceof CharSequence text)) {
					continue;
				}
				if (given(environment, name)) {
					continue;
				}
				Matcher placeholder = REQUIRED.matcher(text);
				while (placeholder.find()) {
					String variable = placeholder.group(1);
					if (!given(environment, variable)) {
						missing.add(variable + " (for " + name + ", from " + file(source.getName()) + ")");
					}
				}
			}
		}
		if (!missing.isEmpty()) {
			throw new IllegalStateException("missing settings for this configuration: set " + String.join(", ", missing)
					+ " as environment variables (see docs/CONFIGURATION.md and docs/DEPLOY.md)");
		}
	}

	/** Set (directly or by a placeholder that resolves); an unresolvable placeholder is not. */
	private static boolean given(ConfigurableEnvironment environment, String name) {
		try {
			return environment.getProperty(name) != null;
		}
		catch (IllegalArgumentException unresolvable) {
			return false;
		}
	}

	private static String file(String sourceName) {
		Matcher m = Pattern.compile("\\[(.*?)]").matcher(sourceName);
		return m.find() ? m.group(1) : sourceName;
	}
}
