package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.Captions;
import dev.videoforge.media.MediaInfo;
import dev.videoforge.media.MediaSettings;
import dev.videoforge.media.Sandbox;
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

	private final Captions captions;
	private final MediaSettings media;
	private final TranscodeSettings settings;
	private final Sandbox sandbox;

	EmbeddedCaptions(Captions captions, MediaSettings media, TranscodeSettings settings, Sandbox sandbox) {
		this.captions = captions;
		this.media = media;
		this.settings = settings;
		this.sandbox = sandbox;
	}

	/** Called once the renditions are stored ({@code rendition}: the one whose segments the captions follow). */
	void extract(String videoId, MediaInfo info, FfmpegCommand.Input input, String rendition, Path work)
			throws InterruptedException {
		// A new attempt stored a new set of files: tracks of an earlier attempt point at nothing now.
		captions.clearEmbedded(videoId);
		for (MediaInfo.SubtitleStream stream : info.subtitles()) {
			try {
				Path folder = Files.createDirectories(work.resolve("subtitles"));
				Path target = folder.resolve(stream.index() + ".vtt");
				List<String> command = sandbox.wrap(FfmpegCommand.subtitle(media.ffmpeg(), input, stream.index(), target),
						input.path().startsWith(work) ? List.of() : List.of(input.path()), List.of(work));
				FfmpegRunner.Result result = FfmpegRunner.run(command, folder.resolve(stream.index() + ".log"),
						info.durationSeconds(), 0, fraction -> {
						}, () -> true, settings.stallTimeout(), settings.timeout(), folder, 64L * 1024 * 1024);
				if (!result.succeeded() || !Files.exists(target)) {
					log.warn("video {}: subtitle stream {} ({}) could not be extracted: {}", videoId, stream.index(),
							stream.codec(), Transcoder.describe(result));
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
