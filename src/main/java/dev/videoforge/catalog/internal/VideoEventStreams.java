package dev.videoforge.catalog.internal;

import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live status of one video as Server-Sent Events. It reads the database rather than in-process
 * events so it works the same when the processor runs in another process.
 */
@Component
class VideoEventStreams {

	record StatusEvent(String id, VideoStatus status, int progress, String error) {
	}

	private final VideoCatalog catalog;
	private final CatalogSettings settings;
	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "video-events");
		t.setDaemon(true);
		return t;
	});

	VideoEventStreams(VideoCatalog catalog, CatalogSettings settings) {
		this.catalog = catalog;
		this.settings = settings;
	}

	SseEmitter open(String videoId) {
		SseEmitter emitter = new SseEmitter(settings.eventTimeout().toMillis());
		AtomicReference<StatusEvent> last = new AtomicReference<>();
		AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
		Runnable stop = () -> {
			ScheduledFuture<?> f = task.get();
			if (f != null) {
				f.cancel(false);
			}
		};
		emitter.onCompletion(stop);
		emitter.onTimeout(() -> {
			stop.run();
			emitter.complete();
		});
		emitter.onError(e -> stop.run());
		long period = Math.max(100, settings.eventPollInterval().toMillis());
		task.set(poller.scheduleWithFixedDelay(() -> push(videoId, emitter, last, stop), 0, period, TimeUnit.MILLISECONDS));
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
			// The client went away; stop polling for it.
			stop.run();
		}
		catch (RuntimeException e) {
			// A database hiccup: keep the stream and try again on the next tick.
		}
	}

	@PreDestroy
	void shutdown() {
		poller.shutdownNow();
	}
}
