package dev.videoforge.webhooks.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.catalog.PlaybackUrls;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoDeleted;
import dev.videoforge.catalog.VideoFailed;
import dev.videoforge.catalog.VideoJson;
import dev.videoforge.catalog.VideoPlayable;
import dev.videoforge.catalog.VideoReady;
import dev.videoforge.catalog.VideoUploaded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the catalog's events into deliveries, one per endpoint of the video's owner that asked
 * for the event. The listener is synchronous: the catalog publishes inside the transaction of the
 * state change, so the delivery rows commit with it or not at all, and an event whose change
 * committed cannot be lost by a crash right after (the sweeper queues what is PENDING). It runs
 * in whichever process made the change (the gateway for uploads, a processor for READY and
 * FAILED): domain code loads in every role. Once committed, the deliveries are queued at once.
 *
 * <p>{@code video.playable} is recorded when a PROCESSING video's first segments are published; a
 * video READY without having been playable first (a short one) gets both, {@code video.playable}
 * first.
 */
class EventRecorder {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebhookStore store;
	private final VideoCatalog catalog;
	private final Captions captions;
	private final PlaybackUrls urls;
	private final Dispatcher dispatcher;

	EventRecorder(WebhookStore store, VideoCatalog catalog, Captions captions, PlaybackUrls urls, Dispatcher dispatcher) {
		this.store = store;
		this.catalog = catalog;
		this.captions = captions;
		this.urls = urls;
		this.dispatcher = dispatcher;
	}

	@EventListener
	void on(VideoUploaded event) {
		catalog.find(event.videoId()).ifPresent(video -> record(video.ownerId(), video.id(), List.of("video.uploaded"), json(video)));
	}

	@EventListener
	void on(VideoPlayable event) {
		catalog.find(event.videoId()).ifPresent(video -> record(video.ownerId(), video.id(), List.of("video.playable"), json(video)));
	}

	@EventListener
	void on(VideoReady event) {
		catalog.find(event.videoId()).ifPresent(video -> record(video.ownerId(), video.id(),
				video.playableAt() == null ? List.of("video.playable", "video.ready") : List.of("video.ready"), json(video)));
	}

	@EventListener
	void on(VideoFailed event) {
		catalog.find(event.videoId()).ifPresent(video -> record(video.ownerId(), video.id(), List.of("video.failed"), json(video)));
	}

	@EventListener
	void on(VideoDeleted event) {
		if (event.last() != null) {
			record(event.last().ownerId(), event.videoId(), List.of("video.deleted"), json(event.last()));
		}
	}

	/** The Video JSON as the gallery gives it to its owner, caption tracks included. */
	private Object json(Video video) {
		return VideoJson.of(video, urls, captions.list(video.id()));
	}

	private void record(String ownerId, String videoId, List<String> types, Object data) {
		List<Endpoint> endpoints = store.endpointsOf(ownerId);
		if (endpoints.isEmpty()) {
			return;
		}
		List<String> created = new ArrayList<>();
		Instant now = Instant.now();
		for (int i = 0; i < types.size(); i++) {
			String type = types.get(i);
			// One millisecond apart, so that the order of events is the order of their deliveries' queueing.
			Instant at = now.plusMillis(i);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("type", type);
			body.put("createdAt", at.toString());
			body.put("data", data);
			String payload = JSON.writeValueAsString(body);
			for (Endpoint endpoint : endpoints) {
				if (endpoint.events().contains(type)) {
					String id = "msg_" + dev.videoforge.shared.Ids.newId();
					store.insert(new Delivery(id, endpoint.id(), type, videoId, payload, Delivery.Status.PENDING, 0, null, null, at,
							0, null, at, null));
					created.add(id);
				}
			}
		}
		if (created.isEmpty()) {
			return;
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					created.forEach(dispatcher::dispatch);
				}
			});
		}
		else {
			created.forEach(dispatcher::dispatch);
		}
	}
}
