package dev.videoforge.streaming.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTests {

	@Test
	void parsesTheThreeFormsOfASingleRange() throws Exception {
		assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 99));
		assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999));
		assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
		assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999));
		assertThat(ByteRange.parse("bytes=500-5000", 1000)).isEqualTo(new ByteRange(500, 999));
		assertThat(ByteRange.parse("bytes=0-99999999999999999999", 1000)).isEqualTo(new ByteRange(0, 999));
		assertThat(ByteRange.parse("bytes=-99999999999999999999", 1000)).isEqualTo(new ByteRange(0, 999));
	}

	@Test
	void answersTheWholeObjectForWhatItDoesNotServePartially() throws Exception {
		assertThat(ByteRange.parse(null, 1000)).isNull();
		assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isNull();
		assertThat(ByteRange.parse("items=0-1", 1000)).isNull();
		assertThat(ByteRange.parse("bytes=abc", 1000)).isNull();
		assertThat(ByteRange.parse("bytes=9-3", 1000)).isNull();
		assertThat(ByteRange.parse("bytes=+1-5", 1000)).isNull();
		assertThat(ByteRange.parse("bytes=1-x", 1000)).isNull();
	}

	@Test
	void refusesARangePastTheEnd() {
		assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
		assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
	}
}
