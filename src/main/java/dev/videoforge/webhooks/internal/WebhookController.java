package dev.videoforge.webhooks.internal;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.Ids;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Refusal;
import dev.videoforge.shared.Role;
import dev.videoforge.webhooks.WebhookSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhooks API of API.md: an account's endpoints and their delivery logs. Every route works
 * on the caller's own endpoints only; another account's id is 404, as if it did not exist.
 */
@RestController
@RequestMapping("/api/webhooks")
@OnRole(Role.GATEWAY)
class WebhookController {

	private static final Pattern DELIVERY_ID = Pattern.compile("msg_[0-9a-z]{16}");

	record NewEndpoint(String url, List<String> events) {
	}

	/** An endpoint as listed; the secret only in the answer that created it. */
	record EndpointJson(String id, String url, List<String> events, Instant createdAt) {
	}

	record CreatedEndpoint(String id, String url, List<String> events, String secret, Instant createdAt) {
	}

	record DeliveryJson(String id, String event, String videoId, Delivery.Status status, int attempts, Integer lastStatusCode,
			Instant nextAttemptAt, String lastError, Instant createdAt, Instant deliveredAt) {

		static DeliveryJson of(Delivery d) {
			return new DeliveryJson(d.id(), d.event(), d.videoId(), d.status(), d.attempts(), d.lastStatusCode(),
					d.status() == Delivery.Status.PENDING ? d.nextAttemptAt() : null, d.lastError(), d.createdAt(), d.deliveredAt());
		}
	}

	private final WebhookStore store;
	private final WebhookSettings settings;
	private final AddressGuard guard;
	private final Dispatcher dispatcher;

	WebhookController(WebhookStore store, WebhookSettings settings, Dispatcher dispatcher) {
		this.store = store;
		this.settings = settings;
		this.guard = new AddressGuard(settings.allowPrivateAddresses(), settings.maxUrlLength());
		this.dispatcher = dispatcher;
	}

	@PostMapping
	ResponseEntity<CreatedEndpoint> create(@RequestBody NewEndpoint body) {
		CurrentUser caller = caller();
		if (body == null) {
			throw new Refusal.Invalid("invalid_body", "send {url, events}");
		}
		List<String> events = events(body.events());
		// Checked now (400 with the reason) and again at every send, as DNS may change.
		String url = guard.check(body.url()).uri().toString();
		if (store.countEndpoints(caller.id()) >= settings.maxEndpointsPerAccount()) {
			throw new Refusal.Unacceptable("too_many_endpoints",
					"an account has at most " + settings.maxEndpointsPerAccount() + " webhook endpoints; delete one first");
		}
		Endpoint endpoint = new Endpoint(Ids.newId(), caller.id(), url, events, Signatures.newSecret(), Instant.now());
		store.insert(endpoint);
		return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedEndpoint(endpoint.id(), endpoint.url(),
				endpoint.events(), endpoint.secret(), endpoint.createdAt()));
	}

	@GetMapping
	List<EndpointJson> list() {
		return store.endpointsOf(caller().id()).stream().map(e -> new EndpointJson(e.id(), e.url(), e.events(), e.createdAt()))
				.toList();
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		Endpoint endpoint = owned(id);
		store.deleteEndpoint(endpoint.id(), endpoint.ownerId());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{id}/deliveries")
	List<DeliveryJson> deliveries(@PathVariable String id) {
		return store.deliveriesOf(owned(id).id(), settings.maxDeliveriesListed()).stream().map(DeliveryJson::of).toList();
	}

	/** Sends the delivery again now, with the same webhook-id; 202 as the attempt itself is a job. */
	@PostMapping("/{id}/deliveries/{deliveryId}/retry")
	ResponseEntity<DeliveryJson> retry(@PathVariable String id, @PathVariable String deliveryId) {
		Endpoint endpoint = owned(id);
		Delivery delivery = (DELIVERY_ID.matcher(deliveryId).matches() ? store.delivery(deliveryId) : Optional.<Delivery>empty())
				.filter(d -> d.endpointId().equals(endpoint.id())).orElseThrow(() -> Refusal.notFound("delivery"));
		store.reopen(delivery.id(), Instant.now());
		Delivery reopened = store.delivery(delivery.id()).orElseThrow(() -> Refusal.notFound("delivery"));
		dispatcher.dispatch(reopened, endpoint.ownerId());
		return ResponseEntity.accepted().body(DeliveryJson.of(store.delivery(delivery.id()).orElse(reopened)));
	}

	private Endpoint owned(String id) {
		String caller = caller().id();
		return (Ids.isValid(id) ? store.endpoint(id).filter(e -> e.ownerId().equals(caller)) : Optional.<Endpoint>empty())
				.orElseThrow(() -> Refusal.notFound("webhook endpoint"));
	}

	private static CurrentUser caller() {
		return CurrentUser.current().orElseThrow(() -> new Refusal.Unauthenticated("unauthenticated",
				"a valid access token is needed (Authorization: Bearer ...)"));
	}

	private static List<String> events(List<String> requested) {
		if (requested == null || requested.isEmpty()) {
			throw new Refusal.Invalid("invalid_events", "events lists at least one of " + Endpoint.EVENTS);
		}
		List<String> events = new ArrayList<>();
		for (String event : requested) {
			if (event == null || !Endpoint.EVENTS.contains(event)) {
				throw new Refusal.Invalid("invalid_events", "unknown event " + (event == null ? "null" : "'" + clip(event) + "'")
						+ "; the events are " + Endpoint.EVENTS);
			}
			if (!events.contains(event)) {
				events.add(event);
			}
		}
		// Stored in the order of Endpoint.EVENTS, whatever the order sent.
		return Endpoint.EVENTS.stream().filter(events::contains).toList();
	}

	private static String clip(String s) {
		String printable = s.replaceAll("\\p{Cntrl}", "?");
		return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
	}
}
