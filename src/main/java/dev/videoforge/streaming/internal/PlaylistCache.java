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
 * {@code no-cache}), caption tracks (replaced while READY), errors, bodies over 64 KiB. A change of
 * a video in this process (an owner's edit, a deletion) drops every kept answer at once; a change
 * made by another process of the fleet is seen within {@code ttl}.
 */
class PlaylistCache extends OncePerRequestFilter {

	private static final int MAX_BODY = 64 * 1024;
	private static final long MAX_BYTES = 16L * 1024 * 1024;
	private static final Pattern KEPT = Pattern.compile("public, max-age=[1-9][0-9]*");

	/** A kept answer: the headers the request path set (not those of the filters in front), and the body. */
	record Answer(List<String[]> headers, String contentType, String etag, byte[] body) {
	}

	private final Cache<String, Answer> answers;
	private final AtomicLong generation = new AtomicLong();

	PlaylistCache(Duration ttl) {
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
		String key = request.getQueryString() == null ? request.getRequestURI() : request.getRequestURI() + "?" + request.getQueryString();
		Answer kept = answers.getIfPresent(key);
		if (kept != null) {
			answer(kept, request, response);
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
		Answer made = keepable(wrapper, set);
		// Not if a video changed meanwhile: this answer may be from before the change.
		if (made != null && generation.get() == before) {
			answers.put(key, made);
		}
		wrapper.copyBodyToResponse();
	}

	private static Answer keepable(ContentCachingResponseWrapper response, Set<String> setBefore) {
		String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
		byte[] body = response.getContentAsByteArray();
		if (response.getStatus() != HttpServletResponse.SC_OK || cacheControl == null || !KEPT.matcher(cacheControl).matches()
				|| body.length > MAX_BODY || response.getHeader(HttpHeaders.SET_COOKIE) != null
				|| response.getHeader(HttpHeaders.ETAG) == null) {
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
		return new Answer(List.copyOf(headers), response.getContentType(), response.getHeader(HttpHeaders.ETAG), body);
	}

	private static void answer(Answer kept, HttpServletRequest request, HttpServletResponse response) throws IOException {
		for (String[] header : kept.headers()) {
			response.addHeader(header[0], header[1]);
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
