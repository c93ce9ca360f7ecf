package dev.videoforge.transcode.internal;

import dev.videoforge.catalog.VideoFiles;
import dev.videoforge.media.ContainerFormats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The ffmpeg commands of a chunked transcode, as data. A chunk decodes its own stretch of the
 * source (from the keyframe before it; the constant-rate filter starts its frames at the chunk's
 * start, so its first frame is the one a single pass has at that time, for a source of variable
 * rate too), takes exactly its frames
 * through the same graph as a single pass (constant rate, deinterlace, tone map) and encodes every
 * quality with the same settings, the keyframes on the segment grid from its own start. Its segments
 * are numbered from the chunk's first; {@link Fmp4} moves their times into place afterwards.
 */
final class ChunkCommands {

	private ChunkCommands() {
	}

	static List<String> video(String ffmpeg, ChunkPlan chunks, int index, Path source, Path output, String preset) {
		// Every quality but the first rendition's, which the sound's job makes whole.
		Plan plan = chunks.chunkPlan();
		double start = chunks.startSeconds(index);
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
				"-progress", "pipe:1", "-stats_period", "1"));
		args.addAll(ContainerFormats.pinnedInput(chunks.info().format()));
		// Every frame from the keyframe before the start reaches the graph, at its time less the
		// start; the constant-rate filter (start_time=0) fills the chunk's first frame as a single
		// pass does (the last frame at or before it: up to a frame's length before it at a variable
		// rate, seconds before it after a stall of a screen recording) and drops the rest. An exact
		// seek (ffmpeg's default) would drop those frames first, and put a later frame there.
		args.addAll(List.of("-noaccurate_seek", "-ss", seconds(start), "-i", "file:" + source));
		List<Plan.Quality> qualities = plan.qualities();
		args.add("-filter_complex");
		args.add(graph(plan));
		StringJoiner streamMap = new StringJoiner(" ");
		for (int i = 0; i < qualities.size(); i++) {
			args.addAll(List.of("-map", "[v" + i + "]"));
			streamMap.add("v:" + i + ",name:" + qualities.get(i).name());
		}
		// The frame count ends a chunk exactly; the last one ends at the end, or at the limit. Both
		// count from the chunk's start, not from the keyframe the reading began at.
		if (chunks.last(index)) {
			args.addAll(List.of("-t", seconds(Math.max(0.001, chunks.limitSeconds() - start))));
		}
		else {
			args.addAll(List.of("-frames:v", String.valueOf(chunks.framesPerChunk())));
		}
		args.addAll(FfmpegCommand.videoEncoders(plan, preset));
		args.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(chunks.segmentSeconds()), "-hls_playlist_type", "vod",
				"-hls_segment_type", "fmp4", "-hls_flags", "independent_segments", "-hls_fmp4_init_filename", VideoFiles.INIT,
				"-start_number", String.valueOf(chunks.firstSegment(index)), "-hls_segment_filename",
				output + "/%v/seg_%05d.m4s", "-var_stream_map", streamMap.toString(), output + "/%v/" + VideoFiles.PLAYLIST));
		return args;
	}

	/** The single pass's picture graph without its poster, storyboard and sound branches. */
	static String graph(Plan plan) {
		StringBuilder graph = new StringBuilder(FfmpegCommand.pictureChain(plan));
		List<Plan.Quality> qualities = plan.qualities();
		graph.append(",split=").append(qualities.size());
		for (int i = 0; i < qualities.size(); i++) {
			graph.append("[s").append(i).append(']');
		}
		for (int i = 0; i < qualities.size(); i++) {
			Plan.Quality r = qualities.get(i);
			graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
					.append(":flags=bicubic,setsar=1[v").append(i).append(']');
		}
		return graph.toString();
	}

	/** The poster: the frame at {@code atSeconds} (or the first, for a clip shorter than that). */
	static List<String> poster(String ffmpeg, Plan plan, FfmpegCommand.Input input, double atSeconds, Path target) {
		List<String> args = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
		args.addAll(ContainerFormats.pinnedInput(input.demuxer()));
		args.addAll(List.of("-ss", seconds(atSeconds), "-i", "file:" + input.path(), "-map", "0:" + plan.pictures().streamIndex(),
				"-frames:v", "1", "-vf", "format=yuv420p,scale=" + plan.pictures().poster().width() + ":" + plan.pictures().poster().height()
						+ ",setsar=1",
				"-c:v", "mjpeg", "-q:v", "3", "-update", "1", target.toString()));
		return args;
	}

	/**
	 * The storyboard's thumbnails from our own smallest rendition (cheap to decode), one every
	 * interval, numbered as the single pass numbers them. Our own playlist, so the HLS demuxer is
	 * allowed here.
	 */
	static List<String> storyboard(String ffmpeg, Path playlist, Plan.Storyboard sb, Path thumbnails) {
		return List.of(ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "hls", "-format_whitelist",
				"hls,mov", "-protocol_whitelist", "file", "-i", "file:" + playlist, "-map", "0:v:0", "-vf",
				"fps=1/" + seconds(sb.intervalSeconds()) + ",scale=" + sb.width() + ":" + sb.height() + ",setsar=1", "-c:v",
				"mjpeg", "-q:v", "5", "-f", "image2", "-start_number", "0", thumbnails.resolve("%04d.jpg").toString());
	}

	static String seconds(double value) {
		return String.format(Locale.ROOT, "%.6f", value);
	}
}
