package dev.videoforge.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.videoforge.shared.Refusal;
import org.junit.jupiter.api.Test;

/** Languages as BCP 47 tags: what a client sends, and what a container's stream tag becomes. */
class CaptionLanguageTests {

	@Test
	void acceptsBcp47TagsInCanonicalCase() {
		assertThat(Captions.language("en")).isEqualTo("en");
		assertThat(Captions.language("PT-br")).isEqualTo("pt-BR");
		assertThat(Captions.language("zh-hant-tw")).isEqualTo("zh-Hant-TW");
		assertThat(Captions.language("es-419")).isEqualTo("es-419");
		assertThat(Captions.language("en-x-s3")).isEqualTo("en-x-s3");
	}

	@Test
	void refusesWhatIsNotATag() {
		for (String bad : new String[] { "", "english", "en_US", "../en", "en/../../x", "en-", "e", "en US",
				"x".repeat(40), "en-US-x" }) {
			assertThatThrownBy(() -> Captions.language(bad)).as(bad).isInstanceOfSatisfying(Refusal.class,
					e -> assertThat(e.code()).isEqualTo("invalid_language"));
		}
	}

	@Test
	void turnsContainerTagsIntoBcp47() {
		assertThat(Captions.fromStreamTag("eng")).isEqualTo("en");
		assertThat(Captions.fromStreamTag("fre")).isEqualTo("fr");
		assertThat(Captions.fromStreamTag("deu")).isEqualTo("de");
		assertThat(Captions.fromStreamTag(null)).isEqualTo("und");
		assertThat(Captions.fromStreamTag("und")).isEqualTo("und");
		assertThat(Captions.fromStreamTag("!!")).isEqualTo("und");
		assertThat(Captions.fromStreamTag("pt-BR")).isEqualTo("pt-BR");
	}

	@Test
	void aTracksFolderIsItsLowercasedTag() {
		CaptionTrack track = new CaptionTrack("pt-BR", "Português", CaptionTrack.UPLOADED, null);
		assertThat(track.vttPath()).isEqualTo("captions/pt-br/full.vtt");
		assertThat(track.playlistPath()).isEqualTo("captions/pt-br/index.m3u8");
	}
}
