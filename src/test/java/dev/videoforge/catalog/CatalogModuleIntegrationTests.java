package dev.videoforge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.auth.CurrentUser;
import dev.videoforge.shared.Refusal;
import dev.videoforge.support.ModuleTests;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The catalog module on its own (and the modules it uses: auth, media, storage), as Spring
 * Modulith's module tests bootstrap it: no uploads, no transcoder, no ffmpeg, no web layer of
 * other modules. What other modules rely on: a video's lifecycle moves one guarded step at a time
 * and says each step once, as an event; who may see and change a video.
 */
@ApplicationModuleTest(ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES)
class CatalogModuleIntegrationTests {

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) throws Exception {
		ModuleTests.domainOnly(registry, "catalog");
	}

	@Autowired
	VideoCatalog catalog;

	@Autowired
	JdbcClient jdbc;

	private CurrentUser account(String name, String roles) {
		return ModuleTests.account(jdbc, name, roles);
	}

	@Test
	void aVideoMovesOneStepAtATimeAndSaysEachStepOnce(AssertablePublishedEvents events) {
		CurrentUser owner = account("owner", "USER");
		Video video = catalog.create(owner, "A title", null, Visibility.PUBLIC, "clip.mp4", 1000L);
		String id = video.id();
		assertThat(video.status()).isEqualTo(VideoStatus.UPLOADING);

		assertThat(catalog.markQueued(id)).isTrue();
		assertThat(catalog.markQueued(id)).as("a repeated last chunk").isFalse();
		assertThat(catalog.markReady(id, 1, 2, 2, List.of(), false)).as("not before it is processed").isFalse();
		assertThat(catalog.markProcessing(id)).isTrue();
		assertThat(catalog.find(id).orElseThrow().playable()).isFalse();

		List<Rendition> renditions = List.of(new Rendition("360p", 640, 360, 800_000, null));
		assertThat(catalog.markPlayable(id, 10, 640, 360, renditions)).isTrue();
		assertThat(catalog.markPlayable(id, 10, 640, 360, renditions)).isFalse();
		assertThat(catalog.find(id).orElseThrow().playable()).as("playable while PROCESSING").isTrue();
		assertThat(catalog.markReady(id, 10, 640, 360, renditions, true)).isTrue();
		assertThat(catalog.markFailed(id, "too late")).as("READY is final").isFalse();

		Video ready = catalog.find(id).orElseThrow();
		assertThat(ready.status()).isEqualTo(VideoStatus.READY);
		assertThat(ready.qualities()).extracting(Rendition::name).containsExactly("360p");
		assertThat(events.ofType(VideoUploaded.class).matching(VideoUploaded::videoId, id)).hasSize(1);
		assertThat(events.ofType(VideoPlayable.class).matching(VideoPlayable::videoId, id)).hasSize(1);
		assertThat(events.ofType(VideoReady.class).matching(VideoReady::videoId, id)).hasSize(1);
		assertThat(events.ofType(VideoFailed.class).matching(VideoFailed::videoId, id)).isEmpty();
	}

	@Test
	void aFailureIsSaidOnceAndAnAdministratorsRetryQueuesItAgain(AssertablePublishedEvents events) {
		CurrentUser owner = account("failing", "USER");
		String id = catalog.create(owner, "Broken", null, Visibility.PRIVATE, "broken.mp4", 10L).id();
		catalog.markQueued(id);
		catalog.markProcessing(id);
		assertThat(catalog.markFailed(id, "The file is damaged.")).isTrue();
		assertThat(catalog.markFailed(id, "Still damaged.")).as("already FAILED: only the sentence changes").isFalse();
		assertThat(catalog.find(id).orElseThrow().error()).isEqualTo("Still damaged.");
		assertThat(events.ofType(VideoFailed.class).matching(VideoFailed::videoId, id)).hasSize(1);

		assertThat(catalog.requeue(id)).isTrue();
		assertThat(catalog.find(id).orElseThrow().status()).isEqualTo(VideoStatus.QUEUED);
		assertThat(catalog.requeue(id)).as("only a FAILED video").isFalse();
	}

	@Test
	void aPrivateVideoIsUnknownToOthersAndOnlyItsOwnerOrAnAdministratorChangesAVisibleOne() {
		CurrentUser owner = account("private", "USER");
		CurrentUser stranger = account("stranger", "USER");
		CurrentUser admin = account("admin", "USER,ADMIN");
		String hidden = catalog.create(owner, "Mine", null, Visibility.PRIVATE, "a.mp4", 1L).id();
		String shown = catalog.create(owner, "Everyone's", null, Visibility.PUBLIC, "b.mp4", 1L).id();

		assertThat(catalog.findVisible(hidden, owner).id()).isEqualTo(hidden);
		assertThatThrownBy(() -> catalog.findVisible(hidden, stranger)).isInstanceOf(Refusal.NotFound.class);
		assertThatThrownBy(() -> catalog.findVisible(hidden, null)).isInstanceOf(Refusal.NotFound.class);
		assertThat(catalog.findVisible(shown, null).id()).isEqualTo(shown);
		assertThatThrownBy(() -> catalog.findOwned(shown, stranger)).isInstanceOf(Refusal.Forbidden.class);
		assertThat(catalog.findOwned(hidden, admin).id()).isEqualTo(hidden);
		assertThatThrownBy(() -> catalog.create(owner, " ", null, Visibility.PUBLIC, "c.mp4", 1L))
				.isInstanceOfSatisfying(Refusal.Invalid.class, e -> assertThat(e.code()).isEqualTo("invalid_title"));
	}
}
