package dev.videoforge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Keeps the module boundaries of docs/ARCHITECTURE.md: no cycles, no reaching into another
 * module's internals, and the edge on top: no module depends on the gateway (the edge filters and
 * the proxy) or on the pages (web), and what both the edge and auth use, the rate limits, is a
 * module of its own below them.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(VideoForgeApplication.class);

	@Test
	void modulesKeepTheirBoundaries() {
		modules.verify();
	}

	@Test
	void theEdgeAndThePagesAreOnTop() {
		for (ApplicationModule module : modules) {
			var dependencies = module.getDirectDependencies(modules);
			for (String top : List.of("gateway", "web")) {
				if (!module.getIdentifier().toString().equals(top)) {
					assertThat(dependencies.containsModuleNamed(top)).as("%s depends on %s", module.getIdentifier(), top)
							.isFalse();
				}
			}
		}
		assertThat(modules.getModuleByName("limits")).as("the rate limits are a module").isPresent();
		assertThat(modules.getModuleByName("auth").orElseThrow().getDirectDependencies(modules).containsModuleNamed("limits"))
				.as("auth's login and code endpoints draw from the limits").isTrue();
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}
}
