package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.media.MediaInfo;
import dev.videoforge.media.MediaTools;
import dev.videoforge.transcode.TranscodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's own text subtitle streams (SubRip/ASS in Matroska, mov_text in MP4, WebVTT in
 * WebM) as caption tracks ({@code source: embedded}): each extracted to WebVTT by ffmpeg in the
 * sandbox, with the demuxer pinned and the read limited exactly as the transcode's input, then
 * cleaned and stored by {@link Captions} like an upload. A stream that fails is logged and left
 * out: subtitles never fail a video.
 */
class EmbeddedCaptions {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedCaptions.class);

	/** What one extracted stream may weigh before it is cut off (the cleaner then allows far less). */
	private static final long MAX_EXTRACTED_BYTES = 64L * 1024 * 1024;

	private final Captions captions;
	private final MediaTools tools;
	private final TranscodeSettings settings;

	EmbeddedCaptions(Captions captions, MediaTools tools, TranscodeSettings settings) {
		this.captions = captions;
		this.tools = tools;
		this.settings = settings;
	}

	/** Called once the renditions are stored ({@code rendition}: the one whose segments the captions follow). */
	void extract(String videoId, MediaInfo info, FfmpegCommand.Input input, String rendition, Path work)
			throws InterruptedException {
		// A new attempt stored a new set of files: tracks of an earlier attempt point at nothing now.
		captions.clearEmbedded(videoId);
		for (MediaInfo.SubtitleStream stream : info.subtitles()) {
			try {
				Path folder = Files.createDirectories(work.resolve("subtitles-" + stream.index()));
				Path target = folder.resolve("track.vtt");
				MediaTools.Result result = tools.run(FfmpegCommand.subtitle(tools.ffmpeg(), input, stream.index(), target),
						List.of(input.path()), folder, settings.timeout(), MAX_EXTRACTED_BYTES, 64 * 1024);
				if (!result.succeeded() || !Files.exists(target)) {
					log.warn("video {}: subtitle stream {} ({}) could not be extracted: {}", videoId, stream.index(),
							stream.codec(), result.reason());
					continue;
				}
				captions.addEmbedded(videoId, rendition, stream.index(), stream.language(), stream.title(),
						Files.readAllBytes(target), info.durationSeconds());
			}
			catch (IOException | RuntimeException e) {
				log.warn("video {}: subtitle stream {} ({}) left out: {}", videoId, stream.index(), stream.codec(),
						e.getMessage());
			}
		}
	}
}
