package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.submission.ApiException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void noHeaderOrOneItDoesNotServeIsTheWholeObject() {
        for (String header : new String[] {null, "", "bytes=", "bytes=-", "items=0-10", "bytes=0-10,20-30", "junk"}) {
            assertThat(ByteRange.of(header, 1000)).as(header).isEqualTo(new ByteRange(0, 1000, 1000, false));
        }
    }

    @Test
    void readsEachFormOfOneRange() {
        assertThat(ByteRange.of("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 100, 1000, true));
        assertThat(ByteRange.of("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 100, 1000, true));
        assertThat(ByteRange.of("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 100, 1000, true));
        assertThat(ByteRange.of("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 1000, 1000, true));
        assertThat(ByteRange.of("bytes=500-99999", 1000)).isEqualTo(new ByteRange(500, 500, 1000, true));
        assertThat(ByteRange.of("Bytes=0-0", 1000).contentRange()).isEqualTo("bytes 0-0/1000");
    }

    @Test
    void aRangeOutsideTheObjectIs416() {
        for (String header : new String[] {"bytes=1000-", "bytes=5000-6000", "bytes=-0", "bytes=20-10"}) {
            assertThatThrownBy(() -> ByteRange.of(header, 1000))
                    .as(header)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(416));
        }
        assertThatThrownBy(() -> ByteRange.of("bytes=0-", 0)).isInstanceOf(ApiException.class);
    }
}
