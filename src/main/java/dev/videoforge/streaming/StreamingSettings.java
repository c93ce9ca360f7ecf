package dev.videoforge.streaming;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Streaming settings ({@code videoforge.streaming.*}).
 *
 * @param playlistMaxAge how long a CDN or player may cache a media playlist or storyboard cue file of a READY video
 *        (the master is revalidated each time: it lists the caption tracks, which change)
 * @param mediaMaxAge how long segments, init segments and images may be cached (they never change)
 * @param downloadRemuxTimeout longest time making one quality's MP4 download (a copy of its HLS
 *        rendition into one faststart MP4, no re-encoding) may take before ffmpeg is stopped
 * @param downloadWait how long a download request waits for its MP4 to be made the first time;
 *        after that it is answered 503 with {@code Retry-After} while the MP4 is finished
 * @param maxConcurrentRemuxes most MP4 downloads made at once in this process (the rest queue)
 * @param delivery how the bytes of media files (segments, init sections, images, MP4 downloads) go
 *        out once a request is authorized: {@code proxy} (this process sends them, by sendfile
 *        from a local disk), {@code redirect} (a 302 to a short-lived presigned URL of the object
 *        when storage is S3, so the bytes never pass through the JVM; proxied when storage is
 *        local), or {@code x-accel} (an empty answer with {@code X-Accel-Redirect}, for nginx in
 *        front to send the file from the shared disk; see deploy/nginx). Playlists and cue files
 *        are always answered by this process (they are rewritten per request)
 * @param redirectTtl how long a presigned URL of {@code redirect} stays valid
 * @param xAccelPrefix the internal nginx location {@code x-accel} names: the object key is
 *        appended to it
 * @param answerCache how long this process keeps its answer to an anonymous request for a file of
 *        a PUBLIC video that says {@code public, max-age} (a media playlist or cue file of a READY
 *        video, a segment, init section or picture sent by sendfile) and answers the same URL from
 *        it; {@code 0} turns it off. A change of the video made in this process drops it at once;
 *        one made by another process is seen within this time
 */
@ConfigurationProperties("videoforge.streaming")
public record StreamingSettings(@DefaultValue("10s") Duration playlistMaxAge, @DefaultValue("365d") Duration mediaMaxAge,
		@DefaultValue("15m") Duration downloadRemuxTimeout, @DefaultValue("60s") Duration downloadWait,
		@DefaultValue("1") int maxConcurrentRemuxes, @DefaultValue("proxy") Delivery delivery,
		@DefaultValue("5m") Duration redirectTtl, @DefaultValue("/_videoforge_blobs/") String xAccelPrefix,
		@DefaultValue("1s") Duration answerCache) {

	/** How authorized media bytes are delivered. */
	public enum Delivery {
		PROXY, REDIRECT, X_ACCEL
	}
}
