package dev.videoforge.lambda;

import java.beans.PropertyEditorSupport;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.cloud.function.serverless.web.ServerlessAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * What a Lambda function changes: requests are handed to Spring MVC in-process rather than to a
 * Tomcat listening on a port, and (unless the function's environment says otherwise) the process
 * plays the gallery and streaming roles with its data directory in {@code /tmp}, Lambda's only
 * writable place. Not a component: only {@link ApiGatewayHandler} names it, so a normal start
 * never sees it.
 */
class LambdaDefaults {

	/** Settings applied when neither the environment nor a system property gives them. */
	static final Map<String, String> DEFAULTS = Map.of("videoforge.roles", "gallery,streaming", "videoforge.data-dir",
			"/tmp/videoforge");

	/** Ours, so that the embedded Tomcat (also on the classpath) backs off. */
	@Bean
	ServerlessAutoConfiguration.ServerlessServletWebServerFactory serverlessWebServerFactory() {
		return new ServerlessAutoConfiguration.ServerlessServletWebServerFactory();
	}

	/**
	 * Paths in settings are plain file paths. (Spring would otherwise resolve them against the
	 * servlet context, which a serverless container cannot do.)
	 */
	@Bean
	static BeanFactoryPostProcessor plainPaths() {
		return beanFactory -> beanFactory.registerCustomEditor(Path.class, PlainPathEditor.class);
	}

	static final class PlainPathEditor extends PropertyEditorSupport {
		@Override
		public void setAsText(String text) {
			setValue(Path.of(text));
		}
	}

	static void apply(Map<String, String> environment) {
		DEFAULTS.forEach((name, value) -> {
			String variable = name.toUpperCase().replace('.', '_').replace('-', '_');
			if (System.getProperty(name) == null && !environment.containsKey(variable)) {
				System.setProperty(name, value);
			}
		});
	}
}
