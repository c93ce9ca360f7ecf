package dev.videoforge;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Keeps the module boundaries of DESIGN.md: no cycles, no reaching into another module's internals. */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(VideoForgeApplication.class);

	@Test
	void modulesKeepTheirBoundaries() {
		modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}
}
