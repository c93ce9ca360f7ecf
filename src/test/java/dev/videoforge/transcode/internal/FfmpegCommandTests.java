package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden argument lists: the command is data, checked without running ffmpeg. */
class FfmpegCommandTests {

	private static final FfmpegCommand.Input IN = new FfmpegCommand.Input(Path.of("/work/in.mp4"), "mov", 10.5);
	private static final Path OUT = Path.of("/work/out");
	private static final List<Plan.AudioTrack> ONE_TRACK = List.of(new Plan.AudioTrack("audio", 1, "en", "English", true));
	private static final List<Plan.AudioTrack> THREE_TRACKS = List.of(new Plan.AudioTrack("audio", 1, "en", "English", true),
			new Plan.AudioTrack("audio2", 2, "fr", "Français", false), new Plan.AudioTrack("audio3", 4, "und", "Commentary", false));

	@Test
	void theFirstRenditionsRunMakesItsOneQualityEveryAudioTrackAndThePosterButNoStoryboard() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("480p", 854, 480, 1400)), 0, new FrameRate(30, 1), 120,
				false, false, new Plan.Poster(2.0, 1280, 720), new Plan.Storyboard(1, 10, 10, 2, 160, 90)), ONE_TRACK, 10);
		List<String> command = FfmpegCommand.first("ffmpeg", plan, IN, OUT, "veryfast", 4, 128);
		assertThat(command).containsSequence("-filter_complex",
				"[0:0]fps=30:start_time=0:eof_action=pass,format=yuv420p,split=2[s0][sp]"
						+ ";[s0]scale=854:480:flags=bicubic,setsar=1[v0]"
						+ ";[sp]select='gte(t\\,2.000)',scale=1280:720,setsar=1[poster]"
						+ ";[0:1]aresample=async=1,apad=whole_dur=10.000[a0]",
				"-map", "[v0]");
		assertThat(command).containsSequence("-var_stream_map", "v:0,agroup:audio,name:480p a:0,agroup:audio,name:audio");
		// Growing playlists, published as they are written.
		assertThat(command).containsSequence("-hls_playlist_type", "event");
		assertThat(command).containsSequence("-map", "[poster]", "-frames:v", "1");
		assertThat(String.join(" ", command)).doesNotContain("storyboard").doesNotContain("thumbnails");
	}

	@Test
	void oneDecodeFeedsEveryQualityPosterAndStoryboardAndEachAudioTrackIsEncodedOnce() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("720p", 1280, 720, 2800), new Plan.Quality("360p", 640, 360, 800)),
				0, new FrameRate(30, 1), 120, false, false, new Plan.Poster(2.0, 1280, 720), new Plan.Storyboard(1, 10, 10, 2, 160, 90)),
				THREE_TRACKS, 10);
		List<String> command = FfmpegCommand.build("ffmpeg", plan, IN, OUT, "veryfast", 4, 128);
		assertThat(command).containsExactly("ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
				"-progress", "pipe:1", "-stats_period", "1",
				// The demuxer the probe found, pinned; local files only; no further than the measured duration.
				"-f", "mov", "-format_whitelist", "mov", "-protocol_whitelist", "file", "-enable_drefs", "0", "-t", "10.500",
				"-i", "file:/work/in.mp4",
				"-filter_complex",
				"[0:0]fps=30:start_time=0:eof_action=pass,format=yuv420p,split=4[s0][s1][sp][ss]"
						+ ";[s0]scale=1280:720:flags=bicubic,setsar=1[v0]"
						+ ";[s1]scale=640:360:flags=bicubic,setsar=1[v1]"
						+ ";[sp]select='gte(t\\,2.000)',scale=1280:720,setsar=1[poster]"
						+ ";[ss]fps=1/1.000,scale=160:90,setsar=1[storyboard]"
						// Each track once, padded to the media's length (it plays beside every quality's pictures).
						+ ";[0:1]aresample=async=1,apad=whole_dur=10.000[a0]"
						+ ";[0:2]aresample=async=1,apad=whole_dur=10.000[a1]"
						+ ";[0:4]aresample=async=1,apad=whole_dur=10.000[a2]",
				"-map", "[v0]", "-map", "[v1]",
				"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", "120",
				"-keyint_min", "120", "-sc_threshold", "0", "-force_key_frames", "expr:eq(mod(n,120),0)",
				"-b:v:0", "2800k", "-maxrate:v:0", "3080k", "-bufsize:v:0", "5600k",
				"-b:v:1", "800k", "-maxrate:v:1", "880k", "-bufsize:v:1", "1600k",
				"-map", "[a0]", "-map", "[a1]", "-map", "[a2]",
				"-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
				"-f", "hls", "-hls_time", "4", "-hls_playlist_type", "event", "-hls_segment_type", "fmp4", "-hls_flags",
				"independent_segments", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename",
				"/work/out/%v/seg_%05d.m4s", "-master_pl_name", "master.m3u8", "-var_stream_map",
				"v:0,agroup:audio,name:720p v:1,agroup:audio,name:360p a:0,agroup:audio,name:audio "
						+ "a:1,agroup:audio,name:audio2 a:2,agroup:audio,name:audio3",
				"/work/out/%v/index.m3u8",
				"-map", "[poster]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-update", "1", "/work/out/thumbnail.jpg",
				// Thumbnails one by one (tiled after): every output starts early, so progress is reported.
				"-map", "[storyboard]", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "-start_number", "0",
				"/work/thumbnails/%04d.jpg");
		assertThat(FfmpegCommand.sprite("ffmpeg", plan.pictures().storyboard(), Path.of("/work/thumbnails"), Path.of("/work/out/storyboard.jpg")))
				.containsSequence("-i", "/work/thumbnails/%04d.jpg", "-vf", "tile=10x2", "-frames:v", "1");
	}

	@Test
	void silentInterlacedVideoIsDeinterlacedAndMapsNoAudio() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("120p", 160, 120, 150)), 2, new FrameRate(30000, 1001), 120, true, false,
				new Plan.Poster(0.2, 160, 120), new Plan.Storyboard(1, 1, 1, 2, 160, 120)),
				List.of(), 1);
		String graph = FfmpegCommand.filterGraph(plan);
		assertThat(graph).startsWith("[0:2]yadif=deint=interlaced,fps=30000/1001:start_time=0:eof_action=pass,format=yuv420p,split=3[s0][sp][ss]");
		assertThat(graph).contains("[ss]fps=1/1.000,scale=160:120,setsar=1[storyboard]");
		assertThat(graph).doesNotContain("aresample");
		List<String> command = FfmpegCommand.build("ffmpeg", plan, IN, OUT, "veryfast", 4, 128);
		assertThat(command).contains("v:0,name:120p").doesNotContain("-c:a", "[a0]");
	}

	@Test
	void hdrIsToneMappedToBt709AndTaggedSo() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("720p", 720, 1280, 2800)), 0, new FrameRate(30, 1), 120, false, true,
				new Plan.Poster(1.0, 720, 1280), new Plan.Storyboard(1, 5, 5, 2, 90, 160)),
				ONE_TRACK, 4.2);
		assertThat(FfmpegCommand.filterGraph(plan)).startsWith("[0:0]fps=30:start_time=0:eof_action=pass,zscale=t=linear:npl=100,format=gbrpf32le,"
				+ "zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p,split=3");
		assertThat(FfmpegCommand.build("ffmpeg", plan, IN, OUT, "veryfast", 4, 128)).containsSubsequence("-colorspace",
				"bt709", "-color_primaries", "bt709", "-color_trc", "bt709");
	}

	@Test
	void audioOnlyMakesOneAudioRenditionPerTrackWhichIsTheStandaloneAudioCommand() {
		Plan plan = new Plan(null, List.of(THREE_TRACKS.get(0), THREE_TRACKS.get(1)), 3);
		List<String> command = FfmpegCommand.build("/usr/bin/ffmpeg", plan, IN, OUT, "veryfast", 4, 128);
		assertThat(command).containsExactly("/usr/bin/ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "warning",
				"-progress", "pipe:1", "-stats_period", "1",
				"-f", "mov", "-format_whitelist", "mov", "-protocol_whitelist", "file", "-enable_drefs", "0", "-t", "10.500",
				"-i", "file:/work/in.mp4",
				// Sound alone is the media: nothing to pad it to.
				"-filter_complex", "[0:1]aresample=async=1[a0];[0:2]aresample=async=1[a1]",
				"-map", "[a0]", "-map", "[a1]", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000",
				"-f", "hls", "-hls_time", "4", "-hls_playlist_type", "event", "-hls_segment_type", "fmp4", "-hls_flags",
				"independent_segments", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename",
				"/work/out/%v/seg_%05d.m4s", "-var_stream_map", "a:0,agroup:audio,name:audio a:1,agroup:audio,name:audio2",
				"/work/out/%v/index.m3u8");
		assertThat(FfmpegCommand.audio("/usr/bin/ffmpeg", plan, IN, OUT, 4, 128)).isEqualTo(command);
	}

	@Test
	void theStandaloneAudioCommandOfAVideoMakesTheSameAudioRenditionsAsTheWholeRun() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("720p", 1280, 720, 2800)), 0, new FrameRate(30, 1), 120, false, false,
				new Plan.Poster(2.0, 1280, 720), new Plan.Storyboard(1, 10, 10, 2, 160, 90)),
				THREE_TRACKS, 10);
		List<String> audio = FfmpegCommand.audio("ffmpeg", plan, IN, OUT, 4, 128);
		assertThat(audio).containsSequence("-filter_complex", "[0:1]aresample=async=1,apad=whole_dur=10.000[a0]"
				+ ";[0:2]aresample=async=1,apad=whole_dur=10.000[a1];[0:4]aresample=async=1,apad=whole_dur=10.000[a2]",
				"-map", "[a0]", "-map", "[a1]", "-map", "[a2]", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000")
				.contains("a:0,agroup:audio,name:audio a:1,agroup:audio,name:audio2 a:2,agroup:audio,name:audio3")
				.doesNotContain("libx264", "-master_pl_name", "[v0]");
		assertThat(FfmpegCommand.filterGraph(plan)).endsWith(FfmpegCommand.audioGraph(plan));
	}

	@Test
	void everyReadOfAnUploadIsPinnedToItsDemuxerAndLocalFiles() {
		Plan plan = new Plan(new Plan.Pictures(List.of(new Plan.Quality("240p", 426, 240, 400)), 0, new FrameRate(25, 1), 100, false, false,
				new Plan.Poster(0.0, 426, 240), new Plan.Storyboard(1, 1, 1, 1, 160, 90)),
				List.of(), 1);
		FfmpegCommand.Input webm = new FfmpegCommand.Input(Path.of("/job/source"), "matroska", 3);
		for (List<String> command : List.of(FfmpegCommand.build("ffmpeg", plan, webm, OUT, "veryfast", 4, 128),
				FfmpegCommand.firstFrame("ffmpeg", plan, webm, 160, 90, Path.of("/job/out/x.jpg")))) {
			assertThat(command).containsSequence("-f", "matroska", "-format_whitelist", "matroska", "-protocol_whitelist",
					"file", "-t", "3.000", "-i", "file:/job/source");
			assertThat(command.stream().filter("-i"::equals)).hasSize(1);
		}
		// Our own playlists are the only HLS ffmpeg is allowed to read.
		assertThat(FfmpegCommand.verify("ffmpeg", Path.of("/job/out/240p/index.m3u8"), true)).containsSequence("-skip_frame",
				"nokey", "-f", "hls", "-format_whitelist", "hls,mov", "-protocol_whitelist", "file", "-i",
				"file:/job/out/240p/index.m3u8", "-map", "0:v:0");
	}

	@Test
	void extractsOneSubtitleStreamAsWebVttWithTheInputPinnedAsForTheTranscode() {
		FfmpegCommand.Input input = new FfmpegCommand.Input(Path.of("/work/job/source"), "matroska", 12.5);
		assertThat(FfmpegCommand.subtitle("ffmpeg", input, 2, Path.of("/work/job/subtitles/2.vtt"))).containsExactly("ffmpeg",
				"-hide_banner", "-nostdin", "-y", "-loglevel", "warning", "-f", "matroska", "-format_whitelist", "matroska", "-protocol_whitelist", "file", "-t", "12.500", "-i", "file:/work/job/source", "-map", "0:2", "-c:s",
				"webvtt", "-f", "webvtt", "/work/job/subtitles/2.vtt");
	}
}
