package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.media.ContainerFormats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Builds the one ffmpeg command of a plan as data: the source is decoded once, split into every
 * quality, the poster and the storyboard, and encoded to H.264 in fMP4 HLS with keyframes on the same
 * time grid in every quality; each audio track is encoded once to AAC, an audio-only rendition every
 * quality plays with ({@code EXT-X-MEDIA:TYPE=AUDIO}). Pure: tested against golden argument lists.
 */
final class FfmpegCommand {

	private static final String THUMBNAIL_PATTERN = "%04d.jpg";

	/** Where the storyboard's single thumbnails go while ffmpeg runs: beside the output, not in it. */
	static Path thumbnails(Path output) {
		return output.resolveSibling("thumbnails");
	}

	/**
	 * Tiles the thumbnails into the storyboard sprite, {@code columns} x {@code rows}, left to
	 * right and top to bottom (what the WebVTT cues point into). ffmpeg's tile filter drops a sheet
	 * that holds a single picture, so a one-thumbnail storyboard is the thumbnail itself.
	 */
	static List<String> sprite(String ffmpeg, Plan.Storyboard sb, Path thumbnails, Path target) {
		return List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-framerate", "1",
				"-start_number", "0", "-i", thumbnails.resolve(THUMBNAIL_PATTERN).toString(), "-vf",
				"tile=" + sb.columns() + "x" + sb.rows(), "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "5", "-update", "1",
				target.toString());
	}

	private FfmpegCommand() {
	}

	/**
	 * The uploaded file as ffmpeg reads it: the demuxer the probe detected, pinned, and no more of
	 * it than {@code limitSeconds} (its measured duration with a margin, never past the duration limit).
	 */
	record Input(Path path, String demuxer, double limitSeconds) {

		List<String> args() {
			List<String> args = new ArrayList<>(ContainerFormats.pinnedInput(demuxer));
			args.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", limitSeconds), "-i", "file:" + path));
			return args;
		}
	}

	/** One text subtitle stream of the input as a WebVTT file (ffmpeg converts SubRip, ASS and mov_text). */
	static List<String> subtitle(String ffmpeg, Input input, int streamIndex, Path target) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning"));
		args.addAll(input.args());
		args.addAll(List.of("-map", "0:" + streamIndex, "-c:s", "webvtt", "-f", "webvtt", target.toString()));
		return args;
	}

	/** The name of an audio group in playlists: every video quality plays with the tracks of this one group. */
	static final String AUDIO_GROUP = "audio";

	/**
	 * The whole transcode in one run: every video quality (pictures only), every audio track once as
	 * its own audio-only rendition (the same segments every quality plays with), the poster and the
	 * storyboard's thumbnails. Audio-only media: {@link #audio} alone.
	 */
	static List<String> build(String ffmpeg, Plan plan, Input input, Path output, String preset, int segmentSeconds,
			int audioKbps) {
		return build(ffmpeg, plan, input, output, preset, segmentSeconds, audioKbps, true);
	}

	/**
	 * The sound's job of a chunked transcode with a first rendition: the plan's qualities (the one
	 * first rendition), every audio track and the poster, as {@link #build} makes them; the storyboard
	 * comes from the assembled chunks.
	 */
	static List<String> first(String ffmpeg, Plan plan, Input input, Path output, String preset, int segmentSeconds,
			int audioKbps) {
		return build(ffmpeg, plan, input, output, preset, segmentSeconds, audioKbps, false);
	}

	private static List<String> build(String ffmpeg, Plan plan, Input input, Path output, String preset, int segmentSeconds,
			int audioKbps, boolean storyboard) {
		if (plan.audioOnly()) {
			return audio(ffmpeg, plan, input, output, segmentSeconds, audioKbps);
		}
		List<String> args = head(ffmpeg, input);
		String out = output.toString();
		List<Plan.Quality> qualities = plan.qualities();
		args.add("-filter_complex");
		args.add(filterGraph(plan, storyboard));

		StringJoiner streamMap = new StringJoiner(" ");
		for (int i = 0; i < qualities.size(); i++) {
			args.addAll(List.of("-map", "[v" + i + "]"));
			streamMap.add("v:" + i + (plan.audio() ? ",agroup:" + AUDIO_GROUP : "") + ",name:" + qualities.get(i).name());
		}
		args.addAll(videoEncoders(plan, preset));
		args.addAll(audioOutputs(plan, audioKbps, streamMap));
		args.addAll(hls(out, segmentSeconds, streamMap.toString()));

		args.addAll(List.of("-map", "[poster]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-update", "1",
				output.resolve(VideoFiles.POSTER).toString()));
		// One picture per thumbnail, tiled into the sprite afterwards (sprite()). A tile filter here
		// would emit its sheet only at the end, and ffmpeg reports no progress at all until every
		// output has written its first frame: the transcode would sit at 0 % until it was done.
		if (storyboard) {
			args.addAll(List.of("-map", "[storyboard]", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "-start_number", "0",
					thumbnails(output).resolve(THUMBNAIL_PATTERN).toString()));
		}
		return args;
	}

	/**
	 * Only the audio renditions of the plan, {@code <output>/audio/}, {@code audio2/}...: what
	 * {@link #build} makes of the sound, byte for byte the same settings, as a run of its own (the
	 * whole transcode of audio-only media; a job of its own when the pictures are encoded in chunks).
	 * ffmpeg writes no master playlist: {@link HlsOutput#master} does.
	 */
	static List<String> audio(String ffmpeg, Plan plan, Input input, Path output, int segmentSeconds, int audioKbps) {
		List<String> args = head(ffmpeg, input);
		args.add("-filter_complex");
		args.add(audioGraph(plan));
		StringJoiner streamMap = new StringJoiner(" ");
		args.addAll(audioOutputs(plan, audioKbps, streamMap));
		List<String> hls = new ArrayList<>(hls(output.toString(), segmentSeconds, streamMap.toString()));
		int master = hls.indexOf("-master_pl_name");
		hls.subList(master, master + 2).clear();
		args.addAll(hls);
		return args;
	}

	private static List<String> head(String ffmpeg, Input input) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
				"-progress", "pipe:1", "-stats_period", "1"));
		args.addAll(input.args());
		return args;
	}

	/** The audio tracks' maps and their encoder; each joins {@code streamMap} as an audio-only variant of the group. */
	private static List<String> audioOutputs(Plan plan, int audioKbps, StringJoiner streamMap) {
		List<String> args = new ArrayList<>();
		List<Plan.AudioTrack> tracks = plan.audioTracks();
		for (int i = 0; i < tracks.size(); i++) {
			args.addAll(List.of("-map", "[a" + i + "]"));
			streamMap.add("a:" + i + ",agroup:" + AUDIO_GROUP + ",name:" + tracks.get(i).name());
		}
		if (!tracks.isEmpty()) {
			args.addAll(audioCodec(audioKbps));
		}
		return args;
	}

	/**
	 * The audio part of the graph: each track on its own time stamps ({@code aresample=async=1}
	 * fills gaps and drops overlaps, as a player would), and, beside pictures, padded with silence
	 * to the media's length, so that a track that stops early still lasts as long as the video it
	 * plays with (the renditions' lengths are checked against the media's).
	 */
	static String audioGraph(Plan plan) {
		StringJoiner graph = new StringJoiner(";");
		List<Plan.AudioTrack> tracks = plan.audioTracks();
		for (int i = 0; i < tracks.size(); i++) {
			String pad = plan.audioOnly() ? ""
					: ",apad=whole_dur=" + String.format(Locale.ROOT, "%.3f", plan.durationSeconds());
			graph.add("[0:" + tracks.get(i).streamIndex() + "]aresample=async=1" + pad + "[a" + i + "]");
		}
		return graph.toString();
	}

	/**
	 * The source's picture as every quality starts from it: deinterlaced when interlaced, one constant
	 * frame rate, HDR tone-mapped to SDR, 8-bit 4:2:0 (10-bit and full-range sources included).
	 * Rotation is applied by ffmpeg's autorotate before the graph, so every branch sees the picture
	 * upright. A chunk's graph starts the same way, so its frames are the single pass's.
	 */
	static String pictureChain(Plan plan) {
		StringBuilder graph = new StringBuilder();
		graph.append("[0:").append(plan.pictures().streamIndex()).append(']');
		if (plan.pictures().deinterlace()) {
			graph.append("yadif=deint=interlaced,");
		}
		// eof_action=pass: a clip of one or two frames (a 0.1 s phone clip, a WMV whose only frame
		// lasts 1 ms) still yields a picture instead of an empty rendition.
		// start_time=0: the constant rate begins at the run's time 0 (the media's start, or a chunk's),
		// so that frame n is at n / rate in every run; frames before it are dropped but the last of
		// them, which fills frame 0. A source whose pictures start after its sound (a camera, a screen
		// recorder, a browser's recording) has its first picture shown from 0 on, as a player would
		// show it, and its frames and keyframes count from 0 in a single pass and in every chunk alike.
		graph.append("fps=").append(plan.pictures().frameRate()).append(":start_time=0:eof_action=pass");
		if (plan.pictures().tonemap()) {
			// HDR (PQ/HLG, BT.2020) to SDR BT.709: linear light, Hable curve, back to TV range.
			graph.append(",zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,")
					.append("zscale=t=bt709:m=bt709:r=tv");
		}
		return graph.append(",format=yuv420p").toString();
	}

	/**
	 * H.264 for every quality: a keyframe forced every {@code gopFrames} frames, counted in frames
	 * and not in seconds, so that they fall on the same frames in every quality, in a single pass as
	 * in every chunk (each starts on a multiple of it) at any frame rate (at 29.97 fps a grid of
	 * seconds would fall a frame earlier every 1,000 frames, and apart from a chunk's); tone-mapped
	 * output tagged BT.709; each quality's rate capped. A GOP lasts at least a segment
	 * ({@link LadderPlanner}), so the HLS muxer cuts a segment at every keyframe.
	 */
	static List<String> videoEncoders(Plan plan, String preset) {
		List<String> args = new ArrayList<>();
		String gop = String.valueOf(plan.pictures().gopFrames());
		args.addAll(List.of("-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
				"-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
				"-force_key_frames", "expr:eq(mod(n," + gop + "),0)"));
		if (plan.pictures().tonemap()) {
			args.addAll(List.of("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"));
		}
		List<Plan.Quality> qualities = plan.qualities();
		for (int i = 0; i < qualities.size(); i++) {
			int kbps = qualities.get(i).videoKbps();
			args.addAll(List.of("-b:v:" + i, kbps + "k", "-maxrate:v:" + i, (kbps * 11 / 10) + "k", "-bufsize:v:" + i,
					(kbps * 2) + "k"));
		}
		return args;
	}

	static String filterGraph(Plan plan) {
		return filterGraph(plan, true);
	}

	private static String filterGraph(Plan plan, boolean storyboard) {
		List<Plan.Quality> qualities = plan.qualities();
		Plan.Storyboard sb = plan.pictures().storyboard();
		StringBuilder graph = new StringBuilder(pictureChain(plan));
		graph.append(",split=").append(qualities.size() + (storyboard ? 2 : 1));
		for (int i = 0; i < qualities.size(); i++) {
			graph.append("[s").append(i).append(']');
		}
		graph.append(storyboard ? "[sp][ss]" : "[sp]");
		for (int i = 0; i < qualities.size(); i++) {
			Plan.Quality r = qualities.get(i);
			graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
					.append(":flags=bicubic,setsar=1[v").append(i).append(']');
		}
		Plan.Poster p = plan.pictures().poster();
		graph.append(";[sp]select='gte(t\\,").append(String.format(Locale.ROOT, "%.3f", plan.pictures().poster().atSeconds()))
				.append(")',scale=").append(p.width()).append(':').append(p.height()).append(",setsar=1[poster]");
		if (storyboard) {
			graph.append(";[ss]fps=1/").append(String.format(Locale.ROOT, "%.3f", sb.intervalSeconds())).append(",scale=")
					.append(sb.width()).append(':').append(sb.height()).append(",setsar=1");
			graph.append("[storyboard]");
		}
		if (plan.audio()) {
			graph.append(';').append(audioGraph(plan));
		}
		return graph.toString();
	}

	private static List<String> audioCodec(int kbps) {
		return List.of("-c:a", "aac", "-b:a", kbps + "k", "-ac", "2", "-ar", "48000");
	}

	private static List<String> hls(String out, int segmentSeconds, String streamMap) {
		// EVENT: ffmpeg rewrites each playlist as segments close, so they can be published early
		// (EarlyPublisher); HlsOutput makes them VOD once the run is over.
		return List.of("-f", "hls", "-hls_time", String.valueOf(segmentSeconds), "-hls_playlist_type", "event",
				"-hls_segment_type", "fmp4", "-hls_flags", "independent_segments", "-hls_fmp4_init_filename", VideoFiles.INIT,
				"-hls_segment_filename", out + "/%v/seg_%05d.m4s", "-master_pl_name", VideoFiles.MASTER, "-var_stream_map", streamMap,
				out + "/%v/" + VideoFiles.PLAYLIST);
	}

	/**
	 * The first frame as a picture of {@code width}x{@code height}: the fallback poster or
	 * storyboard of a clip too short to have a frame where the plan wanted one.
	 */
	static List<String> firstFrame(String ffmpeg, Plan plan, Input input, int width, int height, Path target) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
		args.addAll(input.args());
		args.addAll(List.of("-map", "0:" + plan.pictures().streamIndex(), "-frames:v", "1", "-vf",
				"format=yuv420p,scale=" + width + ":" + height + ",setsar=1", "-c:v", "mjpeg", "-q:v", "3", "-update", "1",
				target.toString()));
		return args;
	}

	/**
	 * Decodes what a rendition holds, to check it before READY: with video, only its keyframes (one
	 * a segment: cheap, and a picture that does not decode fails); audio-only, all of it. The input is
	 * our own playlist and segments, so the HLS demuxer is allowed here, and only here.
	 */
	static List<String> verify(String ffmpeg, Path playlist, boolean video) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-xerror"));
		if (video) {
			args.addAll(List.of("-skip_frame", "nokey"));
		}
		args.addAll(List.of("-f", "hls", "-format_whitelist", "hls,mov", "-protocol_whitelist", "file", "-i",
				"file:" + playlist, "-map", video ? "0:v:0" : "0:a:0", "-f", "null", "-progress", "pipe:1", "-"));
		return args;
	}
}
