package dev.videoforge.web.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The page addresses of API.md ("Pages") mapped to the static files that implement them, so
 * {@code /upload} and {@code /login} work without the {@code .html} a browser would not show.
 * {@code /watch/{id}} and {@code /embed/{id}} are {@link PageController}'s.
 */
@Configuration(proxyBeanMethods = false)
class PageRoutes implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/upload").setViewName("forward:/upload.html");
		registry.addViewController("/login").setViewName("forward:/login.html");
		registry.addViewController("/signup").setViewName("forward:/signup.html");
		registry.addViewController("/account").setViewName("forward:/account.html");
		registry.addViewController("/account/webhooks").setViewName("forward:/webhooks.html");
		registry.addViewController("/my").setViewName("forward:/mine.html");
		registry.addViewController("/admin").setViewName("forward:/admin.html");
	}
}
