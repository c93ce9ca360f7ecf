package dev.videoforge.webhooks.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.queue.JobQueue;
import dev.videoforge.queue.QueueSettings;
import dev.videoforge.shared.OnRole;
import dev.videoforge.webhooks.WebhookSettings;
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

	/** The processor role's entry point: sends deliveries, sweeps what is due. */
	@Bean
	@OnRole("processor")
	DeliveryWorker webhookDeliveryWorker(JobQueue queue, QueueSettings queueSettings, WebhookSettings settings, WebhookStore store,
			Dispatcher dispatcher) {
		return new DeliveryWorker(queue, queueSettings, settings, store, new WebhookSender(settings), dispatcher);
	}
}
