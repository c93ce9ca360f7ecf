package dev.videoforge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Each role builds its own entry points and no others; domain code always loads. */
class RoleWiringIntegrationTests {

	private static Set<String> routes(ConfigurableApplicationContext context) {
		Set<String> prefixes = new TreeSet<>();
		context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods().keySet()
				.forEach(info -> info.getPatternValues().forEach(p -> {
					if (p.startsWith("/api/") && !p.startsWith("/api/docs")) {
						String[] parts = p.split("/");
						prefixes.add("/api/" + parts[2] + (parts[2].equals("gallery") ? "/" + parts[3] : ""));
					}
				}));
		return prefixes;
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', value = {
			"all; /api/admin /api/auth /api/direct-uploads /api/gallery/videos /api/oembed /api/stream /api/uploads /api/videos /api/webhooks; true; -",
			"gateway; /api/auth /api/direct-uploads /api/oembed /api/uploads /api/videos /api/webhooks; false; /api/gallery/** /api/admin/** /api/stream/**",
			"gateway,streaming; /api/auth /api/direct-uploads /api/oembed /api/stream /api/uploads /api/videos /api/webhooks; false; /api/gallery/** /api/admin/**",
			"gallery; /api/admin /api/auth /api/gallery/videos; false; -",
			"streaming; /api/auth /api/stream; false; -",
			"processor; /api/auth; true; -",
			"gallery,streaming; /api/admin /api/auth /api/gallery/videos /api/stream; false; -" })
	void eachRoleBuildsItsEntryPointsOnly(String roles, String expectedRoutes, boolean worker, String proxied) throws Exception {
		var data = Files.createTempDirectory("videoforge-roles-");
		// Command-line arguments, as an operator passes them (they outrank application.yaml).
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(VideoForgeApplication.class)
				.run("--videoforge.roles=" + roles, "--server.port=0", "--videoforge.data-dir=" + data,
						"--videoforge.gateway.services.gallery=http://127.0.0.1:9/",
						"--videoforge.gateway.services.streaming=http://127.0.0.1:9/", "--logging.level.root=WARN")) {
			assertThat(routes(context)).containsExactlyInAnyOrder(expectedRoutes.split(" "));
			assertThat(context.containsBean("transcodeWorker")).as("transcode consumer").isEqualTo(worker);
			assertThat(context.containsBean("webhookDeliveryWorker")).as("webhook consumer").isEqualTo(worker);
			// What the gateway proxies to other processes: the routes of the roles it does not run.
			Set<String> proxiedRoutes = new TreeSet<>();
			if (context.containsBean("proxyRoutes")) {
				String described = context.getBean("proxyRoutes").toString();
				for (String path : List.of("/api/gallery/**", "/api/admin/**", "/api/stream/**")) {
					if (described.contains(path)) {
						proxiedRoutes.add(path);
					}
				}
			}
			assertThat(proxiedRoutes).as(proxied).containsExactlyInAnyOrderElementsOf(
					proxied.equals("-") ? List.of() : List.of(proxied.split(" ")));
			// Domain code is there whatever the role.
			assertThat(context.getBean(dev.videoforge.catalog.VideoCatalog.class)).isNotNull();
		}
	}

	@Test
	void aGatewayWithoutTheServicesItRoutesToFailsAtStartNamingTheSetting() throws Exception {
		var data = Files.createTempDirectory("videoforge-roles-");
		assertThatThrownBy(() -> new SpringApplicationBuilder(VideoForgeApplication.class)
				.run("--videoforge.roles=gateway,gallery", "--server.port=0", "--videoforge.data-dir=" + data,
						"--logging.level.root=OFF").close())
				.hasStackTraceContaining("videoforge.gateway.services.streaming")
				.hasStackTraceContaining("VIDEOFORGE_GATEWAY_SERVICES_STREAMING");
	}

	@Test
	void theAwsShapeWithoutItsSettingsFailsAtStartNamingEveryMissingOne() throws Exception {
		var data = Files.createTempDirectory("videoforge-roles-");
		assertThatThrownBy(() -> new SpringApplicationBuilder(VideoForgeApplication.class)
				.run("--spring.profiles.active=aws", "--videoforge.roles=gallery", "--server.port=0",
						"--videoforge.data-dir=" + data, "--logging.level.root=OFF").close())
				.hasStackTraceContaining("VIDEOFORGE_S3_BUCKET (for videoforge.storage.s3.bucket")
				.hasStackTraceContaining("VIDEOFORGE_JWT_SECRET").hasStackTraceContaining("VIDEOFORGE_URL_SIGNING_KEY");
		// Given directly, the setting counts too.
		assertThatThrownBy(() -> new SpringApplicationBuilder(VideoForgeApplication.class)
				.run("--spring.profiles.active=aws", "--videoforge.storage.s3.bucket=b", "--server.port=0",
						"--videoforge.data-dir=" + data, "--logging.level.root=OFF").close())
				.satisfies(e -> assertThat(org.assertj.core.util.Throwables.getStackTrace(e)).doesNotContain("VIDEOFORGE_S3_BUCKET")
						.contains("VIDEOFORGE_JWT_SECRET"));
	}

	@Test
	void anUnknownRoleFailsAtStartNamingTheSetting() throws Exception {
		var data = Files.createTempDirectory("videoforge-roles-");
		assertThatThrownBy(() -> new SpringApplicationBuilder(VideoForgeApplication.class)
				.run("--videoforge.roles=transcoder", "--server.port=0", "--videoforge.data-dir=" + data,
						"--logging.level.root=OFF").close()).hasStackTraceContaining("videoforge.roles").hasStackTraceContaining("transcoder");
	}
}
