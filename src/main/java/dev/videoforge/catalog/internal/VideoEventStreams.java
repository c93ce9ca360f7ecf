package dev.videoforge.catalog.internal;

import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live status of one video as Server-Sent Events. It reads the database rather than in-process
 * events so it works the same when the processor runs in another process.
 * <p>
 * A stream also sends an SSE comment ({@code :keep-alive}) every
 * {@link CatalogSettings#eventHeartbeat()}: a video that does not change (an unfinished upload)
 * would otherwise write nothing, so a closed tab would hold its request until the timeout. The
 * write to a closed connection fails and the stream ends. On shutdown every stream is completed
 * before the web server's graceful shutdown starts waiting for requests (clients reconnect).
 */
@Component
class VideoEventStreams implements SmartLifecycle {

	record StatusEvent(String id, VideoStatus status, int progress, String error) {
	}

	private final VideoCatalog catalog;
	private final CatalogSettings settings;
	/** Every open stream and how to stop its scheduled tasks. */
	private final Map<SseEmitter, Runnable> open = new ConcurrentHashMap<>();
	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "video-events");
		t.setDaemon(true);
		return t;
	});
	private volatile boolean running;

	VideoEventStreams(VideoCatalog catalog, CatalogSettings settings, ObjectProvider<MeterRegistry> meters) {
		this.catalog = catalog;
		this.settings = settings;
		meters.ifAvailable(registry -> Gauge.builder("videoforge.events.streams", open, Map::size)
				.description("live status streams (SSE) open in this process").register(registry));
	}

	SseEmitter open(String videoId) {
		SseEmitter emitter = new SseEmitter(settings.eventTimeout().toMillis());
		if (!running) {
			// Shutting down: the client reconnects, to another process or after the restart.
			emitter.complete();
			return emitter;
		}
		AtomicReference<StatusEvent> last = new AtomicReference<>();
		AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
		AtomicReference<ScheduledFuture<?>> heartbeat = new AtomicReference<>();
		Runnable stop = () -> {
			open.remove(emitter);
			cancel(task.get());
			cancel(heartbeat.get());
		};
		open.put(emitter, stop);
		emitter.onCompletion(stop);
		emitter.onTimeout(() -> {
			stop.run();
			emitter.complete();
		});
		emitter.onError(e -> stop.run());
		long period = Math.max(100, settings.eventPollInterval().toMillis());
		task.set(poller.scheduleWithFixedDelay(() -> push(videoId, emitter, last, stop), 0, period, TimeUnit.MILLISECONDS));
		long beat = settings.eventHeartbeat().toMillis();
		if (beat > 0) {
			heartbeat.set(poller.scheduleAtFixedRate(() -> beat(emitter, stop), beat, beat, TimeUnit.MILLISECONDS));
		}
		if (!running) {
			// The shutdown began while this stream was being opened and may not have seen it.
			stop.run();
			emitter.complete();
		}
		return emitter;
	}

	private void push(String videoId, SseEmitter emitter, AtomicReference<StatusEvent> last, Runnable stop) {
		try {
			Optional<Video> video = catalog.find(videoId);
			if (video.isEmpty()) {
				emitter.send(SseEmitter.event().name("deleted").data(videoId));
				stop.run();
				emitter.complete();
				return;
			}
			Video v = video.get();
			StatusEvent now = new StatusEvent(v.id(), v.status(), v.progress(), v.error());
			StatusEvent before = last.getAndSet(now);
			if (before == null || before.status() != now.status()) {
				emitter.send(SseEmitter.event().name("status").data(now, MediaType.APPLICATION_JSON));
			}
			if (before == null || before.progress() != now.progress()) {
				emitter.send(SseEmitter.event().name("progress").data(now, MediaType.APPLICATION_JSON));
			}
			if (v.status().isFinal()) {
				stop.run();
				emitter.complete();
			}
		}
		catch (IOException | IllegalStateException e) {
			// The client went away; stop polling for it (the container ends the request).
			stop.run();
		}
		catch (RuntimeException e) {
			// A database hiccup: keep the stream and try again on the next tick.
		}
	}

	/** An SSE comment, which clients ignore: it only shows whether the connection is still there. */
	private void beat(SseEmitter emitter, Runnable stop) {
		try {
			emitter.send(SseEmitter.event().comment("keep-alive"));
		}
		catch (IOException | IllegalStateException e) {
			stop.run();
		}
	}

	/** Status streams open in this process now. */
	int openStreams() {
		return open.size();
	}

	private static void cancel(ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	@Override
	public void start() {
		running = true;
	}

	/** Completes every open stream, so graceful shutdown does not wait for them. */
	@Override
	public void stop() {
		running = false;
		for (var stream : List.copyOf(open.entrySet())) {
			stream.getValue().run();
			try {
				stream.getKey().complete();
			}
			catch (RuntimeException e) {
				// Already over.
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@PreDestroy
	void shutdown() {
		poller.shutdownNow();
	}
}
