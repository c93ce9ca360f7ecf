package dev.videoforge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest under deploy/k8s parses as Kubernetes objects and wires the roles together. */
class KubernetesManifestsTests {

	private static final List<String> ROLES = List.of("gateway", "gallery", "streaming", "processor");

	private static List<HasMetadata> manifests() throws IOException {
		KubernetesSerialization serialization = new KubernetesSerialization();
		List<HasMetadata> objects = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("deploy/k8s"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
				for (String document : Files.readString(file).split("(?m)^---\\s*$")) {
					if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
						objects.add(serialization.unmarshal(document));
					}
				}
			}
		}
		return objects;
	}

	private static <T> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Test
	void eachRoleIsADeploymentOfTheOneImageWithProbesOnTheHealthGroups() throws Exception {
		List<Deployment> deployments = ofType(manifests(), Deployment.class);
		assertThat(deployments).extracting(d -> d.getMetadata().getName())
				.containsExactlyInAnyOrderElementsOf(ROLES.stream().map(r -> "videoforge-" + r).toList());
		for (Deployment deployment : deployments) {
			String role = deployment.getMetadata().getName().substring("videoforge-".length());
			var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
			assertThat(container.getImage()).startsWith("videoforge:");
			assertThat(container.getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
			assertThat(container.getEnv()).anySatisfy(e -> {
				assertThat(e.getName()).isEqualTo("VIDEOFORGE_ROLES");
				assertThat(e.getValue()).isEqualTo(role);
			});
			assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
			assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
			assertThat(deployment.getSpec().getSelector().getMatchLabels())
					.isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
		}
	}

	@Test
	void theIngressRoutesEachPathToAServiceThatSelectsItsRole() throws Exception {
		List<HasMetadata> objects = manifests();
		Map<String, Service> services = new java.util.HashMap<>();
		ofType(objects, Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
		Ingress ingress = ofType(objects, Ingress.class).get(0);
		Map<String, String> routes = new java.util.HashMap<>();
		ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths()
				.forEach(p -> routes.put(p.getPath(), p.getBackend().getService().getName())));
		assertThat(routes).containsEntry("/api/stream", "videoforge-streaming").containsEntry("/", "videoforge-gateway");
		for (String service : routes.values()) {
			assertThat(services).containsKey(service);
			String role = service.substring("videoforge-".length());
			assertThat(services.get(service).getSpec().getSelector()).containsEntry("app.kubernetes.io/component", role);
		}
	}

	@Test
	void theGatewayIsToldWhereTheServicesItProxiesListen() throws Exception {
		List<HasMetadata> objects = manifests();
		Map<String, Service> services = new java.util.HashMap<>();
		ofType(objects, Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
		Deployment gateway = ofType(objects, Deployment.class).stream()
				.filter(d -> d.getMetadata().getName().equals("videoforge-gateway")).findFirst().orElseThrow();
		Map<String, String> env = new java.util.HashMap<>();
		gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
		for (String role : List.of("gallery", "streaming")) {
			String url = env.get("VIDEOFORGE_GATEWAY_SERVICES_" + role.toUpperCase());
			assertThat(url).as(role).isEqualTo("http://videoforge-" + role);
			assertThat(services.get("videoforge-" + role).getSpec().getPorts().get(0).getPort()).isEqualTo(80);
		}
	}

	@Test
	void kedaScalesTheProcessorsOnTheSqsBacklog() throws Exception {
		GenericKubernetesResource scaler = ofType(manifests(), GenericKubernetesResource.class).stream()
				.filter(r -> r.getKind().equals("ScaledObject")).findFirst().orElseThrow();
		assertThat(scaler.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
		Map<String, Object> spec = scaler.get("spec");
		assertThat(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")).isEqualTo("videoforge-processor");
		assertThat((Integer) spec.get("minReplicaCount")).isGreaterThanOrEqualTo(1);
		Map<?, ?> trigger = (Map<?, ?>) ((List<?>) spec.get("triggers")).get(0);
		assertThat(trigger.get("type")).isEqualTo("aws-sqs-queue");
		Map<?, ?> metadata = (Map<?, ?>) trigger.get("metadata");
		assertThat((String) metadata.get("queueURL")).endsWith("/videoforge-transcode.fifo");
		assertThat(Integer.parseInt((String) metadata.get("queueLength"))).isPositive();
	}
}
