package dev.videoforge.streaming.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videoforge.catalog.VideoDeleted;
import dev.videoforge.catalog.VideoUpdated;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * A microcache of the streaming role's answers to anonymous requests for the media playlists and
 * cue files of PUBLIC, READY videos: the answers that say {@code Cache-Control: public, max-age=N}
 * (N ≥ 1), which any CDN or player may already keep for N seconds. The first request of a URL goes
 * through the whole request path (Spring Security, the controller, the video's lookup in the
 * database, the visibility check) and its answer, headers and body, is kept for {@code ttl}
 * (videoforge.streaming.playlist-cache, 1 s); the next requests of that URL within it are answered
 * from here, before Spring Security, with the validators (ETag, If-None-Match, HEAD) of the kept
 * answer. This is what an nginx origin does with proxy_cache_valid 1s ("microcaching"): a player
 * population asking for the same live-edge playlists costs one lookup a second, not one a request
 * (measured in docs/BENCHMARKS.md, Streaming).
 *
 * <p>Never kept: anything with credentials (Authorization), signed or PRIVATE/UNLISTED answers
 * (they are {@code private}), playlists of videos still PROCESSING and masters (both
 * {@code no-cache}), caption tracks (replaced while READY; the controller marks what may be kept,
 * {@link #KEEPABLE}), errors, bodies over 64 KiB; and nothing is answered from here for longer
 * than its own max-age ({@code Age} says how old it is). A change of a video in this process (an
 * owner's edit, a deletion) drops every kept answer at once; a change made by another process of
 * the fleet (in a split deployment the gallery role takes the edits) is seen within {@code ttl}.
 * A hit skips Spring Security's checks of the request's headers (its firewall): its URL passed them
 * when the answer was made.
 */
class PlaylistCache extends OncePerRequestFilter {

	private static final int MAX_BODY = 64 * 1024;
	private static final long MAX_BYTES = 16L * 1024 * 1024;
	private static final Pattern KEPT = Pattern.compile("public, max-age=([1-9][0-9]{0,8})");

	/**
	 * The request attribute by which the controller says an answer may be kept at all (a playlist
	 * or storyboard cue file, not a caption track): decided on the decoded path the controller
	 * routed, so no spelling of a URL ({@code %63aptions}) gets a caption track kept.
	 */
	static final String KEEPABLE = PlaylistCache.class.getName() + ".keepable";

	/**
	 * A kept answer: the headers the request path set (not those of the filters in front), the
	 * body, when it was made and until when it may be answered (never past its own max-age).
	 */
	record Answer(List<String[]> headers, String contentType, String etag, byte[] body, long madeAt, long until) {
	}

	private final Cache<String, Answer> answers;
	private final long ttlNanos;
	private final AtomicLong generation = new AtomicLong();

	PlaylistCache(Duration ttl) {
		this.ttlNanos = ttl.toNanos();
		this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumWeight(MAX_BYTES)
				.<String, Answer>weigher((key, answer) -> key.length() + answer.body().length + 256).build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		if (!"GET".equals(method) && !"HEAD".equals(method)) {
			return true;
		}
		String uri = request.getRequestURI();
		return !uri.startsWith("/api/stream/") || !(uri.endsWith(".m3u8") || uri.endsWith(".vtt")) || uri.contains("/captions/")
				|| request.getHeader(HttpHeaders.AUTHORIZATION) != null || request.getHeader("X-HTTP-Method-Override") != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The scheme too: Spring Security adds Strict-Transport-Security to secure requests only.
		String uri = (request.isSecure() ? "s:" : ":") + request.getRequestURI();
		String key = request.getQueryString() == null ? uri : uri + "?" + request.getQueryString();
		Answer kept = answers.getIfPresent(key);
		long now = System.nanoTime();
		if (kept != null && now - kept.until() < 0) {
			answer(kept, now, request, response);
			return;
		}
		if (!"GET".equals(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		long before = generation.get();
		Set<String> set = new HashSet<>();
		for (String name : response.getHeaderNames()) {
			set.add(name.toLowerCase(Locale.ROOT));
		}
		ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
		chain.doFilter(request, wrapper);
		Answer made = Boolean.TRUE.equals(request.getAttribute(KEEPABLE)) ? keepable(wrapper, set, now) : null;
		if (made != null) {
			answers.put(key, made);
			// Not if a video changed meanwhile: this answer may be from before the change.
			if (generation.get() != before) {
				answers.invalidate(key);
			}
		}
		wrapper.copyBodyToResponse();
	}

	private Answer keepable(ContentCachingResponseWrapper response, Set<String> setBefore, long now) {
		String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
		var maxAge = cacheControl == null ? null : KEPT.matcher(cacheControl);
		byte[] body = response.getContentAsByteArray();
		if (response.getStatus() != HttpServletResponse.SC_OK || maxAge == null || !maxAge.matches() || body.length > MAX_BODY
				|| response.getHeader(HttpHeaders.SET_COOKIE) != null || response.getHeader(HttpHeaders.ETAG) == null) {
			return null;
		}
		List<String[]> headers = new ArrayList<>();
		for (String name : response.getHeaderNames()) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (setBefore.contains(lower) || lower.equals("content-length") || lower.equals("content-type")
					|| lower.equals("date") || lower.equals("transfer-encoding")) {
				continue;
			}
			for (String value : response.getHeaders(name)) {
				headers.add(new String[] { name, value });
			}
		}
		// Never answered for longer than the answer itself lets a cache keep it.
		long keep = Math.min(ttlNanos, Duration.ofSeconds(Long.parseLong(maxAge.group(1))).toNanos());
		return new Answer(List.copyOf(headers), response.getContentType(), response.getHeader(HttpHeaders.ETAG), body, now,
				now + keep);
	}

	private static void answer(Answer kept, long now, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		for (String[] header : kept.headers()) {
			response.addHeader(header[0], header[1]);
		}
		long age = Duration.ofNanos(now - kept.madeAt()).toSeconds();
		if (age > 0) {
			// As any HTTP cache does, so that one behind this one keeps it only for what is left of max-age.
			response.setHeader(HttpHeaders.AGE, String.valueOf(age));
		}
		response.setContentType(kept.contentType());
		if (FileSender.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), kept.etag())) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setContentLength(kept.body().length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(kept.body());
		}
	}

	@EventListener
	void on(VideoUpdated event) {
		dropAll();
	}

	@EventListener
	void on(VideoDeleted event) {
		dropAll();
	}

	/** Every answer goes: changes are rare, and a video's answers are not worth indexing by video. */
	void dropAll() {
		generation.incrementAndGet();
		answers.invalidateAll();
	}
}
