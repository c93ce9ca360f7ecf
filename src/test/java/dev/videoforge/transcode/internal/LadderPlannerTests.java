package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaInfo;
import dev.videoforge.transcode.TranscodeSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderPlannerTests {

	private final LadderPlanner planner = new LadderPlanner(
			new TranscodeSettings(1, 0, Duration.ofSeconds(30), null, "veryfast", 4, 60, 2160, 128, Duration.ofMinutes(5),
					Duration.ofHours(6), 2, Duration.ofMinutes(2), 40, Duration.ofSeconds(20), 480, Duration.ofMinutes(2), 3,
					java.util.List.of("mov", "matroska"), true, 25000, Duration.ofSeconds(12), Duration.ofHours(6)));

	private static MediaInfo video(int width, int height, int rotation, double fps, boolean audio) {
		return new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 30.0,
				new MediaInfo.VideoStream(0, "h264", width, height, rotation, "yuv420p", fps, false, 8, 1.0, "bt709"),
				audio ? new MediaInfo.AudioStream(1, "aac", 2, 48000) : null);
	}

	private static List<String> names(Plan plan) {
		return plan.qualities().stream().map(r -> r.name() + "=" + r.width() + "x" + r.height()).toList();
	}

	@Test
	void landscape1080pGetsFiveQualitiesAndNeverUpscales() {
		Plan plan = planner.plan(video(1920, 1080, 0, 30, true));
		assertThat(names(plan)).containsExactly("1080p=1920x1080", "720p=1280x720", "480p=854x480", "360p=640x360",
				"240p=426x240");
		assertThat(plan.qualities().get(0).videoKbps()).isEqualTo(5000);
		assertThat(plan.audio()).isTrue();
		assertThat(plan.pictures().frameRate()).hasToString("30");
		assertThat(plan.pictures().gopFrames()).isEqualTo(120);
	}

	@Test
	void rotatedPhoneVideoIsPlannedUpright() {
		// 3840x2160 stored, displaymatrix -90: shown 2160 wide, 3840 tall.
		Plan plan = planner.plan(video(3840, 2160, -90, 60, true));
		assertThat(plan.qualities().get(0)).isEqualTo(new Plan.Quality("2160p", 2160, 3840, 16000));
		assertThat(plan.qualities()).hasSize(7).allSatisfy(r -> assertThat(r.height()).isGreaterThan(r.width()));
		assertThat(names(plan)).contains("720p=720x1280");
	}

	@Test
	void upsideDownVideoKeepsItsShape() {
		Plan plan = planner.plan(video(1920, 1080, 180, 30, false));
		assertThat(plan.qualities().get(0)).isEqualTo(new Plan.Quality("1080p", 1920, 1080, 5000));
		assertThat(plan.audio()).isFalse();
	}

	@Test
	void tinyOddVideoGetsOneEvenQualityAtItsOwnSize() {
		Plan plan = planner.plan(video(161, 121, 0, 29.97, false));
		assertThat(names(plan)).containsExactly("120p=160x120");
		assertThat(plan.pictures().frameRate()).hasToString("30000/1001");
	}

	@Test
	void sourceWellAboveAStandardQualityAlsoGetsItsOwnSize() {
		Plan plan = planner.plan(video(640, 356, 0, 24, true));
		assertThat(names(plan)).containsExactly("356p=640x356", "240p=432x240");
	}

	@Test
	void eightKIsCappedAtTheLargestQuality() {
		Plan plan = planner.plan(video(7680, 4320, 0, 24, true));
		assertThat(plan.qualities().get(0).name()).isEqualTo("2160p");
		assertThat(plan.qualities()).hasSize(7);
	}

	@Test
	void aGopLastsAtLeastOneSegmentAtEveryFrameRateSoEveryKeyframeStartsASegment() {
		// 29.97 (NTSC) and 23.976: 119.88 and 95.9 frames in 4 s, rounded up.
		assertThat(planner.plan(video(1280, 720, 0, 30000 / 1001.0, false)).pictures().gopFrames()).isEqualTo(120);
		assertThat(planner.plan(video(1280, 720, 0, 24000 / 1001.0, false)).pictures().gopFrames()).isEqualTo(96);
		// A phone's 29.833 fps: 119.3 frames; 119 would last 3.99 s, shorter than a segment.
		assertThat(planner.plan(video(1280, 720, 0, 29.833, false)).pictures().gopFrames()).isEqualTo(120);
		assertThat(planner.plan(video(1280, 720, 0, 25, false)).pictures().gopFrames()).isEqualTo(100);
		for (double fps : new double[] { 1, 7.5, 12.5, 15, 23.976, 24, 25, 29.833, 29.97, 30, 48, 50, 59.94, 60 }) {
			Plan plan = planner.plan(video(1280, 720, 0, fps, false));
			double seconds = plan.pictures().gopFrames() / plan.pictures().frameRate().value();
			assertThat(seconds).as("a GOP at %s fps", fps).isGreaterThanOrEqualTo(4.0).isLessThan(4.0 + 1 / plan.fps());
		}
	}

	@Test
	void highFrameRateIsCapped() {
		Plan plan = planner.plan(video(1280, 720, 0, 240, false));
		assertThat(plan.pictures().frameRate()).hasToString("60");
		assertThat(plan.pictures().gopFrames()).isEqualTo(240);
	}

	@Test
	void nonSquarePixelsAreStretchedOut() {
		// HDV/AVCHD 1440x1080 with 4:3 pixels shows as 1920x1080.
		MediaInfo anamorphic = new MediaInfo("mpegts", 10,
				new MediaInfo.VideoStream(0, "h264", 1440, 1080, 0, "yuv420p", 25, true, 8, 4.0 / 3.0, ""), null);
		Plan plan = planner.plan(anamorphic);
		assertThat(plan.qualities().get(0)).isEqualTo(new Plan.Quality("1080p", 1920, 1080, 5000));
		assertThat(plan.pictures().deinterlace()).isTrue();
	}

	@Test
	void hdrSourcesAreToneMappedAndStillPicturesGetAFrameRate() {
		MediaInfo hdr = new MediaInfo("mp4", 4,
				new MediaInfo.VideoStream(0, "av1", 720, 1280, 0, "yuv420p10le", 29.97, false, 10, 1.0, "smpte2084"), null);
		assertThat(planner.plan(hdr).pictures().tonemap()).isTrue();
		assertThat(planner.plan(video(1920, 1080, 0, 30, true)).pictures().tonemap()).isFalse();
		MediaInfo podcast = new MediaInfo("mp4", 3600,
				new MediaInfo.VideoStream(0, "mjpeg", 1280, 720, 0, "yuvj420p", 1 / 3600.0, false, 8, 1.0, ""), null);
		assertThat(planner.plan(podcast).pictures().frameRate()).hasToString("1");
	}

	@Test
	void audioOnlyMediaGetsNoVideoQualities() {
		Plan plan = planner.plan(new MediaInfo("mp3", 3, null, new MediaInfo.AudioStream(0, "mp3", 2, 44100)));
		assertThat(plan.audioOnly()).isTrue();
		assertThat(plan.expectedFrames()).isZero();
	}

	@Test
	void eachAudioTrackUpToTheLimitIsARenditionNamedFromItsCheckedTags() {
		MediaInfo.AudioStream english = new MediaInfo.AudioStream(1, "aac", 2, 48000, "eng", "Main mix");
		MediaInfo.AudioStream french = new MediaInfo.AudioStream(3, "ac3", 6, 48000, "fre", null);
		MediaInfo.AudioStream third = new MediaInfo.AudioStream(4, "aac", 2, 48000, "en", "Director");
		MediaInfo media = new MediaInfo("mov", 30.0,
				new MediaInfo.VideoStream(0, "h264", 1280, 720, 0, "yuv420p", 30, false, 8, 1.0, "bt709"), english, List.of(),
				List.of(english, french, third));
		// The limit in this test's settings is two tracks.
		assertThat(planner.plan(media).audioTracks()).containsExactly(new Plan.AudioTrack("audio", 1, "en", "Main mix", true),
				new Plan.AudioTrack("audio2", 3, "fr", "French", false));
	}

	@Test
	void tagsAreAttackerTextAndAreCheckedBeforeTheyReachAPlaylist() {
		assertThat(AudioTrackNames.language("eng")).isEqualTo("en");
		assertThat(AudioTrackNames.language("ger")).isEqualTo("de");
		assertThat(AudioTrackNames.language("pt-BR")).isEqualTo("pt-BR");
		assertThat(AudioTrackNames.language("tlh")).as("no two-letter code: kept").isEqualTo("tlh");
		assertThat(AudioTrackNames.language("en\",URI=\"http://evil/")).isEqualTo("und");
		assertThat(AudioTrackNames.language("")).isEqualTo("und");
		assertThat(AudioTrackNames.language(null)).isEqualTo("und");
		assertThat(AudioTrackNames.label("Commentary\",URI=\"x\"\n#EXT-X-ENDLIST\u0000")).isEqualTo(
				"Commentary ,URI= x #EXT-X-ENDLIST");
		assertThat(AudioTrackNames.label("x".repeat(200))).hasSize(64);
		assertThat(AudioTrackNames.label("SoundHandler")).as("a muxer's default says nothing").isEmpty();
		MediaInfo.AudioStream a = new MediaInfo.AudioStream(1, "aac", 2, 48000, "xx\u202e", "Same");
		MediaInfo.AudioStream b = new MediaInfo.AudioStream(2, "aac", 2, 48000, null, "same");
		MediaInfo.AudioStream c = new MediaInfo.AudioStream(5, "aac", 2, 48000, null, "  ");
		List<Plan.AudioTrack> tracks = AudioTrackNames.tracks(new MediaInfo("mov", 3, null, a, List.of(), List.of(a, b, c)), 8);
		assertThat(tracks).extracting(Plan.AudioTrack::label).as("NAME differs within the group")
				.containsExactly("Same", "same (2)", "Audio 3");
		assertThat(tracks).extracting(Plan.AudioTrack::language).containsOnly("und");
	}

	@Test
	void storyboardHoldsAtMostAHundredThumbnails() {
		Plan.Storyboard longVideo = LadderPlanner.storyboard(362.8, 1920, 1080);
		assertThat(longVideo.intervalSeconds()).isEqualTo(4.0);
		assertThat(longVideo.count()).isEqualTo(91);
		assertThat(longVideo.columns() * longVideo.rows()).isGreaterThan(longVideo.count());
		assertThat(longVideo.width()).isEqualTo(160);
		assertThat(longVideo.height()).isEqualTo(90);
		Plan.Storyboard portrait = LadderPlanner.storyboard(10, 1080, 1920);
		assertThat(portrait.height()).isEqualTo(160);
		assertThat(portrait.width()).isEqualTo(90);
	}
}
