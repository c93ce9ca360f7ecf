package dev.videoforge.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.videoforge.media.MediaInfo;
import dev.videoforge.transcode.TranscodeSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderPlannerTests {

	private final LadderPlanner planner = new LadderPlanner(
			new TranscodeSettings(1, 0, Duration.ofSeconds(30), null, "veryfast", 4, 60, 2160, 128, Duration.ofMinutes(5), Duration.ofHours(6)));

	private static MediaInfo video(int width, int height, int rotation, double fps, boolean audio) {
		return new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 30.0,
				new MediaInfo.VideoStream(0, "h264", width, height, rotation, "yuv420p", fps, false, 8, 1.0, "bt709"),
				audio ? new MediaInfo.AudioStream(1, "aac", 2, 48000) : null);
	}

	private static List<String> names(Plan plan) {
		return plan.rungs().stream().map(r -> r.name() + "=" + r.width() + "x" + r.height()).toList();
	}

	@Test
	void landscape1080pGetsFiveRungsAndNeverUpscales() {
		Plan plan = planner.plan(video(1920, 1080, 0, 30, true));
		assertThat(names(plan)).containsExactly("1080p=1920x1080", "720p=1280x720", "480p=854x480", "360p=640x360",
				"240p=426x240");
		assertThat(plan.rungs().get(0).videoKbps()).isEqualTo(5000);
		assertThat(plan.audio()).isTrue();
		assertThat(plan.frameRate()).isEqualTo("30");
		assertThat(plan.gopFrames()).isEqualTo(120);
	}

	@Test
	void rotatedPhoneVideoIsPlannedUpright() {
		// 3840x2160 stored, displaymatrix -90: shown 2160 wide, 3840 tall.
		Plan plan = planner.plan(video(3840, 2160, -90, 60, true));
		assertThat(plan.rungs().get(0)).isEqualTo(new Plan.Rung("2160p", 2160, 3840, 16000));
		assertThat(plan.rungs()).hasSize(7).allSatisfy(r -> assertThat(r.height()).isGreaterThan(r.width()));
		assertThat(names(plan)).contains("720p=720x1280");
	}

	@Test
	void upsideDownVideoKeepsItsShape() {
		Plan plan = planner.plan(video(1920, 1080, 180, 30, false));
		assertThat(plan.rungs().get(0)).isEqualTo(new Plan.Rung("1080p", 1920, 1080, 5000));
		assertThat(plan.audio()).isFalse();
	}

	@Test
	void tinyOddVideoGetsOneEvenRungAtItsOwnSize() {
		Plan plan = planner.plan(video(161, 121, 0, 29.97, false));
		assertThat(names(plan)).containsExactly("120p=160x120");
		assertThat(plan.frameRate()).isEqualTo("30000/1001");
	}

	@Test
	void sourceWellAboveAStandardRungAlsoGetsItsOwnSize() {
		Plan plan = planner.plan(video(640, 356, 0, 24, true));
		assertThat(names(plan)).containsExactly("356p=640x356", "240p=432x240");
	}

	@Test
	void eightKIsCappedAtTheLargestRung() {
		Plan plan = planner.plan(video(7680, 4320, 0, 24, true));
		assertThat(plan.rungs().get(0).name()).isEqualTo("2160p");
		assertThat(plan.rungs()).hasSize(7);
	}

	@Test
	void highFrameRateIsCapped() {
		Plan plan = planner.plan(video(1280, 720, 0, 240, false));
		assertThat(plan.frameRate()).isEqualTo("60");
		assertThat(plan.gopFrames()).isEqualTo(240);
	}

	@Test
	void nonSquarePixelsAreStretchedOut() {
		// HDV/AVCHD 1440x1080 with 4:3 pixels shows as 1920x1080.
		MediaInfo anamorphic = new MediaInfo("mpegts", 10,
				new MediaInfo.VideoStream(0, "h264", 1440, 1080, 0, "yuv420p", 25, true, 8, 4.0 / 3.0, ""), null);
		Plan plan = planner.plan(anamorphic);
		assertThat(plan.rungs().get(0)).isEqualTo(new Plan.Rung("1080p", 1920, 1080, 5000));
		assertThat(plan.deinterlace()).isTrue();
	}

	@Test
	void hdrSourcesAreToneMappedAndStillPicturesGetAFrameRate() {
		MediaInfo hdr = new MediaInfo("mp4", 4,
				new MediaInfo.VideoStream(0, "av1", 720, 1280, 0, "yuv420p10le", 29.97, false, 10, 1.0, "smpte2084"), null);
		assertThat(planner.plan(hdr).tonemap()).isTrue();
		assertThat(planner.plan(video(1920, 1080, 0, 30, true)).tonemap()).isFalse();
		MediaInfo podcast = new MediaInfo("mp4", 3600,
				new MediaInfo.VideoStream(0, "mjpeg", 1280, 720, 0, "yuvj420p", 1 / 3600.0, false, 8, 1.0, ""), null);
		assertThat(planner.plan(podcast).frameRate()).isEqualTo("1");
	}

	@Test
	void audioOnlyMediaGetsNoVideoRungs() {
		Plan plan = planner.plan(new MediaInfo("mp3", 3, null, new MediaInfo.AudioStream(0, "mp3", 2, 44100)));
		assertThat(plan.audioOnly()).isTrue();
		assertThat(plan.expectedFrames()).isZero();
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
