package dev.videoforge.catalog.internal;

import dev.videoforge.catalog.CatalogSettings;
import dev.videoforge.catalog.Video;
import dev.videoforge.catalog.VideoCatalog;
import dev.videoforge.catalog.VideoStatus;
import dev.videoforge.shared.Refusal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live status of one video as Server-Sent Events. It reads the database rather than in-process
 * events so it works the same when the processor runs in another process.
 * <p>
 * One poll per video, whatever the number of its streams: every stream of a video is a watcher
 * of the same {@link Watch}, which reads the video once per {@link CatalogSettings#eventPollInterval()}
 * and sends what changed to each. Streams are capped per client address
 * ({@link CatalogSettings#eventStreamsPerAddress()}, 429) and in total
 * ({@link CatalogSettings#eventStreamsTotal()}, 503), so nobody can hold the process's
 * connections or make it poll the database without end.
 * <p>
 * Every stream also gets an SSE comment ({@code :keep-alive}) every
 * {@link CatalogSettings#eventHeartbeat()}: a video that does not change (an unfinished upload)
 * would otherwise write nothing, so a closed tab would hold its request until the timeout. The
 * write to a closed connection fails and the stream ends. On shutdown every stream is completed
 * before the web server's graceful shutdown starts waiting for requests (clients reconnect).
 */
@Component
class VideoEventStreams implements SmartLifecycle {

	record StatusEvent(String id, VideoStatus status, int progress, String error, boolean playable) {
	}

	/** The streams of one video and the one poll that feeds them. Its state is the poller thread's. */
	private static final class Watch {
		final String videoId;
		final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();
		/** Streams that have not had the current state yet. */
		final Set<SseEmitter> fresh = ConcurrentHashMap.newKeySet();
		StatusEvent last;
		ScheduledFuture<?> task;

		Watch(String videoId) {
			this.videoId = videoId;
		}
	}

	private final VideoCatalog catalog;
	private final CatalogSettings settings;
	/** Every open stream and how to end it (stops watching, frees its place under the caps). */
	private final Map<SseEmitter, Runnable> open = new ConcurrentHashMap<>();
	private final Map<String, Watch> watches = new ConcurrentHashMap<>();
	private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
	private final AtomicLong polls = new AtomicLong();
	private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "video-events");
		t.setDaemon(true);
		return t;
	});
	private volatile ScheduledFuture<?> heartbeat;
	private volatile boolean running;

	VideoEventStreams(VideoCatalog catalog, CatalogSettings settings, ObjectProvider<MeterRegistry> meters) {
		this.catalog = catalog;
		this.settings = settings;
		meters.ifAvailable(registry -> Gauge.builder("videoforge.events.streams", open, Map::size)
				.description("live status streams (SSE) open in this process").register(registry));
	}

	/**
	 * Opens a status stream of the video for a client at {@code address}.
	 *
	 * @throws Refusal 429 when that address has its most streams open, 503 when the process has
	 */
	SseEmitter open(String videoId, String address) {
		SseEmitter emitter = new SseEmitter(settings.eventTimeout().toMillis());
		if (!running) {
			// Shutting down: the client reconnects, to another process or after the restart.
			emitter.complete();
			return emitter;
		}
		Runnable stop = admit(emitter, address);
		emitter.onCompletion(stop);
		emitter.onTimeout(() -> {
			stop.run();
			emitter.complete();
		});
		emitter.onError(e -> stop.run());
		watches.compute(videoId, (id, watch) -> {
			Watch w = watch != null ? watch : new Watch(id);
			w.emitters.add(emitter);
			w.fresh.add(emitter);
			if (w.task == null) {
				long period = Math.max(100, settings.eventPollInterval().toMillis());
				w.task = poller.scheduleWithFixedDelay(() -> poll(w), 0, period, TimeUnit.MILLISECONDS);
			}
			else {
				// The video's state is known: the new stream gets it now, without another query.
				poller.execute(() -> greet(w));
			}
			return w;
		});
		if (!running) {
			// The shutdown began while this stream was being opened and may not have seen it.
			stop.run();
			emitter.complete();
		}
		return emitter;
	}

	/** Counts the stream under both caps, or refuses it; returns how to end it (once). */
	private Runnable admit(SseEmitter emitter, String address) {
		AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
		if (mine.incrementAndGet() > settings.eventStreamsPerAddress()) {
			release(address, mine);
			throw new Refusal.RateLimited("too_many_streams", "at most "
					+ settings.eventStreamsPerAddress() + " live status streams per client; close one first", 5L);
		}
		AtomicBoolean ended = new AtomicBoolean();
		Runnable stop = () -> {
			if (ended.compareAndSet(false, true)) {
				open.remove(emitter);
				release(address, mine);
				unwatch(emitter);
			}
		};
		if (open.size() >= settings.eventStreamsTotal()) {
			release(address, mine);
			throw new Refusal.Unavailable("too_many_streams",
					"this server has as many live status streams open as it may; try again shortly", 5L);
		}
		open.put(emitter, stop);
		return stop;
	}

	private void release(String address, AtomicInteger count) {
		if (count.decrementAndGet() <= 0) {
			perAddress.remove(address, count);
		}
	}

	private void unwatch(SseEmitter emitter) {
		for (Watch w : watches.values()) {
			if (w.emitters.remove(emitter)) {
				w.fresh.remove(emitter);
				watches.computeIfPresent(w.videoId, (id, current) -> {
					if (current.emitters.isEmpty()) {
						cancel(current.task);
						return null;
					}
					return current;
				});
			}
		}
	}

	/** One read of the video for all its streams. */
	private void poll(Watch watch) {
		Optional<Video> video;
		try {
			polls.incrementAndGet();
			video = catalog.find(watch.videoId);
		}
		catch (RuntimeException e) {
			// A database hiccup: keep the streams and try again on the next tick.
			return;
		}
		if (video.isEmpty()) {
			for (SseEmitter emitter : List.copyOf(watch.emitters)) {
				send(emitter, SseEmitter.event().name("deleted").data(watch.videoId));
				end(emitter);
			}
			return;
		}
		Video v = video.get();
		StatusEvent now = new StatusEvent(v.id(), v.status(), v.progress(), v.error(), v.playable());
		StatusEvent before = watch.last;
		watch.last = now;
		for (SseEmitter emitter : List.copyOf(watch.emitters)) {
			boolean fresh = watch.fresh.remove(emitter);
			sendChanges(emitter, fresh ? null : before, now);
		}
		if (v.status().isFinal()) {
			List.copyOf(watch.emitters).forEach(this::end);
		}
	}

	/** Sends the known state to streams that joined a video already watched. */
	private void greet(Watch watch) {
		StatusEvent now = watch.last;
		if (now == null) {
			return;
		}
		for (SseEmitter emitter : List.copyOf(watch.fresh)) {
			if (watch.fresh.remove(emitter)) {
				sendChanges(emitter, null, now);
				if (now.status().isFinal()) {
					end(emitter);
				}
			}
		}
	}

	private void sendChanges(SseEmitter emitter, StatusEvent before, StatusEvent now) {
		if (before == null || before.status() != now.status()) {
			send(emitter, SseEmitter.event().name("status").data(now, MediaType.APPLICATION_JSON));
		}
		if (now.playable() && (before == null || !before.playable())) {
			send(emitter, SseEmitter.event().name("playable").data(now, MediaType.APPLICATION_JSON));
		}
		if (before == null || before.progress() != now.progress()) {
			send(emitter, SseEmitter.event().name("progress").data(now, MediaType.APPLICATION_JSON));
		}
	}

	private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
		try {
			emitter.send(event);
		}
		catch (IOException | IllegalStateException e) {
			// The client went away; stop feeding it (the container ends the request).
			stopOf(emitter).run();
		}
	}

	private void end(SseEmitter emitter) {
		stopOf(emitter).run();
		try {
			emitter.complete();
		}
		catch (RuntimeException e) {
			// Already over.
		}
	}

	private Runnable stopOf(SseEmitter emitter) {
		Runnable stop = open.get(emitter);
		return stop != null ? stop : () -> unwatch(emitter);
	}

	/** An SSE comment on every stream, which clients ignore: it only shows whether the connection is still there. */
	private void beat() {
		for (SseEmitter emitter : List.copyOf(open.keySet())) {
			send(emitter, SseEmitter.event().comment("keep-alive"));
		}
	}

	/** Status streams open in this process now. */
	int openStreams() {
		return open.size();
	}

	/** Status streams open in this process now from one client address. */
	int openStreamsFrom(String address) {
		AtomicInteger count = perAddress.get(address);
		return count == null ? 0 : count.get();
	}

	/** Videos polled for their streams now (one per video, whatever the number of its streams). */
	int watchedVideos() {
		return watches.size();
	}

	/** Reads of the catalog made for streams since the start. */
	long polls() {
		return polls.get();
	}

	private static void cancel(ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	@Override
	public void start() {
		running = true;
		long beat = settings.eventHeartbeat().toMillis();
		if (beat > 0 && heartbeat == null) {
			heartbeat = poller.scheduleAtFixedRate(this::beat, beat, beat, TimeUnit.MILLISECONDS);
		}
	}

	/** Completes every open stream, so graceful shutdown does not wait for them. */
	@Override
	public void stop() {
		running = false;
		cancel(heartbeat);
		heartbeat = null;
		for (SseEmitter emitter : List.copyOf(open.keySet())) {
			end(emitter);
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
