package dev.videoforge.catalog;

/**
 * Where a video's files are: the one place their storage keys and file names are spelled. Keys
 * are relative to the store's root (or its S3 prefix):
 *
 * <pre>
 * uploads/&lt;id&gt;/…                          an unfinished upload's pieces (tus), or its object (direct)
 * originals/&lt;id&gt;                          the checked original
 * renditions/&lt;id&gt;/master.m3u8             the master playlist
 * renditions/&lt;id&gt;/&lt;rendition&gt;/index.m3u8   a rendition's playlist, init.mp4, its segments
 * renditions/&lt;id&gt;/thumbnail.jpg           the poster the transcoder took (an owner's: poster-&lt;random&gt;.jpg)
 * renditions/&lt;id&gt;/storyboard.jpg, .vtt    the storyboard sprite and its cues
 * renditions/&lt;id&gt;/captions/&lt;language&gt;/…   a caption track ({@link CaptionTrack})
 * renditions/&lt;id&gt;/_download/&lt;q&gt;.mp4       an MP4 download, made on first request
 * logs/&lt;id&gt;/&lt;job&gt;/attempt-&lt;n&gt;.log        the ffmpeg log of a transcode attempt
 * </pre>
 */
public final class VideoFiles {

	/** The master playlist in the renditions folder. */
	public static final String MASTER = "master.m3u8";
	/** A rendition's playlist in its folder. */
	public static final String PLAYLIST = "index.m3u8";
	/** A rendition's fMP4 initialization segment in its folder. */
	public static final String INIT = "init.mp4";
	/** The poster the transcoder takes. */
	public static final String POSTER = "thumbnail.jpg";
	/** The storyboard sprite and its WebVTT cues. */
	public static final String STORYBOARD = "storyboard.jpg";
	public static final String STORYBOARD_CUES = "storyboard.vtt";

	private VideoFiles() {
	}

	public static String original(String videoId) {
		return "originals/" + videoId;
	}

	/** Where the pieces of an unfinished upload are staged, whichever gateway took them. */
	public static String uploads(String videoId) {
		return "uploads/" + videoId + "/";
	}

	/** The folder of everything a viewer is served: playlists, segments, poster, storyboard, captions. */
	public static String renditions(String videoId) {
		return "renditions/" + videoId + "/";
	}

	/** One file of the renditions folder ({@code name} may name a file in a rendition's folder). */
	public static String rendition(String videoId, String name) {
		return renditions(videoId) + name;
	}

	/** The MP4 download of one quality. */
	public static String download(String videoId, String quality) {
		return renditions(videoId) + "_download/" + quality + ".mp4";
	}

	/** The ffmpeg logs of a video's transcode attempts. */
	public static String logs(String videoId) {
		return "logs/" + videoId + "/";
	}

	public static String log(String videoId, String jobId, int attempt) {
		return logs(videoId) + jobId + "/attempt-" + attempt + ".log";
	}
}
