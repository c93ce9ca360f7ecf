package dev.videoforge.webhooks.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.queue.Fleet;
import dev.videoforge.queue.JobAdmin;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.JobRuntime;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.queue.Queues;
import dev.videoforge.shared.OnRole;
import dev.videoforge.shared.Role;
import dev.videoforge.webhooks.WebhookSettings;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhooks' wiring. The event recorder loads in every role (a state change happens in whichever
 * process makes it); the API is the gateway's; sending is the processor's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
class WebhookConfiguration {

	@Bean
	WebhookStore webhookStore(JdbcClient jdbc) {
		return new WebhookStore(jdbc);
	}

	@Bean
	Dispatcher webhookDispatcher(WebhookStore store, JobQueue queue) {
		return new Dispatcher(store, queue);
	}

	@Bean
	EventRecorder webhookEventRecorder(WebhookStore store, VideoCatalog catalog, Captions captions, PlaybackUrls urls,
			Dispatcher dispatcher) {
		return new EventRecorder(store, catalog, captions, urls, dispatcher);
	}

	/**
	 * The processor role's entry point: the {@code webhook} queue's job runtime sends deliveries,
	 * up to {@code workers} at once (one poller while idle).
	 */
	@Bean
	@OnRole(Role.PROCESSOR)
	JobRuntime webhookDeliveryWorker(JobQueue queue, JobAdmin admin, QueueSettings queueSettings, WebhookSettings settings,
			WebhookStore store, Fleet fleet) {
		return new JobRuntime(queue, admin, queueSettings,
				new JobRuntime.Pool(Queues.WEBHOOK, 1, settings.workers(), java.time.Duration.ofSeconds(30),
						DeliveryHandler.visibility(settings)),
				List.of(new DeliveryHandler(settings, store, new WebhookSender(settings))), fleet);
	}

	/** Queues what is due and forgets old deliveries, on the processor role. */
	@Bean
	@OnRole(Role.PROCESSOR)
	DeliverySweeper webhookSweeper(WebhookSettings settings, WebhookStore store, Dispatcher dispatcher) {
		return new DeliverySweeper(settings, store, dispatcher);
	}
}
