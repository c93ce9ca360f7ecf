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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * A microcache of the streaming role's answers to anonymous requests for the files of PUBLIC
 * videos: the answers that say {@code Cache-Control: public, max-age=N} (N ≥ 1), which any CDN or
 * player may already keep for N seconds. The first request of a URL goes through the whole request
 * path (Spring Security, the controller, the video's lookup in the database, the visibility check)
 * and what it answered is kept for {@code ttl} (videoforge.streaming.answer-cache, 1 s); the next
 * requests of that URL within it are answered from here, before Spring Security, with the
 * validators (ETag, If-None-Match, HEAD) of the kept answer. This is what an nginx origin does with
 * proxy_cache_valid 1s ("microcaching"): a player population asking for the same playlists and
 * segments costs one lookup a second per file, not one a request (docs/BENCHMARKS.md, Streaming).
 *
 * <p>Two kinds of answer are kept: a media playlist or cue file, headers and body; and a segment,
 * init section or picture sent whole from a local disk by sendfile ({@link FileSender}), headers
 * and the file's name: a hit hands the same file to sendfile again (a request with Range or
 * If-Range goes the whole way).
 *
 * <p>Never kept: anything with credentials (Authorization), signed or PRIVATE/UNLISTED answers
 * (they are {@code private}), playlists of videos still PROCESSING and masters (both
 * {@code no-cache}), caption tracks (replaced while READY), MP4 downloads, redirects, errors,
 * bodies over 64 KiB: the controller marks what may be kept ({@link #KEEPABLE}). Nothing is
 * answered from here for longer than its own max-age ({@code Age} says how old it is). A change
 * of a video in this process (an owner's edit, a deletion) drops every kept answer at once; a
 * change made by another process of the fleet (in a split deployment the gallery role takes the
 * edits) is seen within {@code ttl}. A hit skips Spring Security's checks of the request's
 * headers (its firewall): its URL passed them when the answer was made.
 */
class AnswerCache extends OncePerRequestFilter {

	private static final int MAX_BODY = 64 * 1024;
	private static final long MAX_BYTES = 16L * 1024 * 1024;
	private static final Pattern KEPT = Pattern.compile("public, max-age=([1-9][0-9]{0,8})(, immutable)?");

	/**
	 * The request attribute by which the controller says an answer may be kept at all (a playlist,
	 * a storyboard cue file or a media file of the video's folder; not a caption track): decided on
	 * the decoded path the controller routed, so no spelling of a URL ({@code %63aptions}) gets a
	 * caption track kept.
	 */
	static final String KEEPABLE = AnswerCache.class.getName() + ".keepable";

	/**
	 * A kept answer: the headers the request path set (not those of the filters in front), then
	 * either the body or the file sendfile sent (and its length), when it was made and until when
	 * it may be answered (never past its own max-age).
	 */
	record Answer(List<String[]> headers, String contentType, String etag, byte[] body, String file, long length,
			FileTime modified, long madeAt, long until) {
	}

	private final Cache<String, Answer> answers;
	private final long ttlNanos;
	private final AtomicLong generation = new AtomicLong();

	AnswerCache(Duration ttl) {
		this.ttlNanos = ttl.toNanos();
		this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumWeight(MAX_BYTES)
				.<String, Answer>weigher((key, answer) -> key.length() + (answer.body() == null ? 0 : answer.body().length) + 256)
				.build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		if (!"GET".equals(method) && !"HEAD".equals(method)) {
			return true;
		}
		return !request.getRequestURI().startsWith("/api/stream/") || request.getHeader(HttpHeaders.AUTHORIZATION) != null
				|| request.getHeader("X-HTTP-Method-Override") != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The scheme too: Spring Security adds Strict-Transport-Security to secure requests only.
		String uri = (request.isSecure() ? "s:" : ":") + request.getRequestURI();
		String key = request.getQueryString() == null ? uri : uri + "?" + request.getQueryString();
		Answer kept = answers.getIfPresent(key);
		long now = System.nanoTime();
		if (kept != null && now - kept.until() < 0 && answered(kept, now, request, response)) {
			return;
		}
		if (!"GET".equals(request.getMethod()) || ranged(request)) {
			chain.doFilter(request, response);
			return;
		}
		long before = generation.get();
		Set<String> set = new HashSet<>();
		for (String name : response.getHeaderNames()) {
			set.add(name.toLowerCase(Locale.ROOT));
		}
		boolean text = request.getRequestURI().endsWith(".m3u8") || request.getRequestURI().endsWith(".vtt");
		// A media file is sent by sendfile after this filter returns: nothing to buffer, and a
		// buffering wrapper would hold back its Content-Length.
		ContentCachingResponseWrapper wrapper = text ? new ContentCachingResponseWrapper(response) : null;
		chain.doFilter(request, text ? wrapper : response);
		Answer made = Boolean.TRUE.equals(request.getAttribute(KEEPABLE))
				? text ? keptText(wrapper, set, now) : keptFile(request, response, set, now) : null;
		if (made != null) {
			answers.put(key, made);
			// Not if a video changed meanwhile: this answer may be from before the change.
			if (generation.get() != before) {
				answers.invalidate(key);
			}
		}
		if (wrapper != null) {
			wrapper.copyBodyToResponse();
		}
	}

	private static boolean ranged(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.RANGE) != null || request.getHeader(HttpHeaders.IF_RANGE) != null;
	}

	/** The validity of an answer that says it may be kept, or null. */
	private long until(HttpServletResponse response, long now) {
		String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
		Matcher maxAge = cacheControl == null ? null : KEPT.matcher(cacheControl);
		if (response.getStatus() != HttpServletResponse.SC_OK || maxAge == null || !maxAge.matches()
				|| response.getHeader(HttpHeaders.SET_COOKIE) != null || response.getHeader(HttpHeaders.ETAG) == null) {
			return 0;
		}
		// Never answered for longer than the answer itself lets a cache keep it.
		return now + Math.min(ttlNanos, Duration.ofSeconds(Long.parseLong(maxAge.group(1))).toNanos());
	}

	private Answer keptText(ContentCachingResponseWrapper response, Set<String> setBefore, long now) {
		long until = until(response, now);
		byte[] body = response.getContentAsByteArray();
		if (until == 0 || body.length > MAX_BODY) {
			return null;
		}
		return new Answer(headers(response, setBefore), response.getContentType(), response.getHeader(HttpHeaders.ETAG), body,
				null, body.length, null, now, until);
	}

	/** A media file sent whole by sendfile: its name and length, to hand to sendfile again. */
	private Answer keptFile(HttpServletRequest request, HttpServletResponse response, Set<String> setBefore, long now) {
		long until = until(response, now);
		if (until == 0 || !(request.getAttribute(FileSender.SENDFILE_FILENAME) instanceof String file)
				|| !(request.getAttribute(FileSender.SENDFILE_START) instanceof Long start) || start != 0
				|| !(request.getAttribute(FileSender.SENDFILE_END) instanceof Long end)) {
			return null;
		}
		BasicFileAttributes attributes = attributes(file);
		if (attributes == null || attributes.size() != end) {
			return null;
		}
		return new Answer(headers(response, setBefore), response.getContentType(), response.getHeader(HttpHeaders.ETAG), null,
				file, end, attributes.lastModifiedTime(), now, until);
	}

	private static BasicFileAttributes attributes(String file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
			return attributes.isRegularFile() ? attributes : null;
		}
		catch (IOException e) {
			return null;
		}
	}

	/** The kept file is still the one that was sent: same size, same modification time. */
	private static boolean unchanged(Answer kept) {
		BasicFileAttributes now = attributes(kept.file());
		return now != null && now.size() == kept.length() && now.lastModifiedTime().equals(kept.modified());
	}

	private static List<String[]> headers(HttpServletResponse response, Set<String> setBefore) {
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
		return List.copyOf(headers);
	}

	/** Answers from {@code kept}; false (nothing written) when this request must take the whole path. */
	private static boolean answered(Answer kept, long now, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		boolean head = "HEAD".equals(request.getMethod());
		boolean notModified = FileSender.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), kept.etag());
		if (kept.file() != null && (!unchanged(kept) || !notModified && !head
				&& (ranged(request) || !Boolean.TRUE.equals(request.getAttribute(FileSender.SENDFILE_SUPPORT))))) {
			// The file is gone or was written again (by another process: a transcode's retry), a
			// range, or no sendfile here: the request path answers it (404, 206, a copy).
			return false;
		}
		for (String[] header : kept.headers()) {
			response.addHeader(header[0], header[1]);
		}
		long age = Duration.ofNanos(now - kept.madeAt()).toSeconds();
		if (age > 0) {
			// As any HTTP cache does, so that one behind this one keeps it only for what is left of max-age.
			response.setHeader(HttpHeaders.AGE, String.valueOf(age));
		}
		response.setContentType(kept.contentType());
		if (notModified) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return true;
		}
		response.setContentLengthLong(kept.length());
		if (head) {
			return true;
		}
		if (kept.file() != null) {
			request.setAttribute(FileSender.SENDFILE_FILENAME, kept.file());
			request.setAttribute(FileSender.SENDFILE_START, 0L);
			request.setAttribute(FileSender.SENDFILE_END, kept.length());
		}
		else {
			response.getOutputStream().write(kept.body());
		}
		return true;
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
