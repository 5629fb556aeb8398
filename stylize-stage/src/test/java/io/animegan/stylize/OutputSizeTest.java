package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputSizeTest {

    @Test
    void shrinksToTheMaximumKeepingTheAspectRatio() {
        OutputSize size = OutputSize.fit(4000, 3000, 1920);
        assertThat(size).isEqualTo(new OutputSize(1920, 1440));
    }

    @Test
    void neverEnlargesAndRoundsToMultiplesOfEight() {
        OutputSize size = OutputSize.fit(1280, 853, 1920);
        assertThat(size).isEqualTo(new OutputSize(1280, 856));
        assertThat(OutputSize.fit(901, 899, 1920)).isEqualTo(new OutputSize(904, 896));
    }

    @Test
    void portraitPictures() {
        OutputSize size = OutputSize.fit(853, 1280, 1024);
        assertThat(size.height()).isEqualTo(1024);
        assertThat(size.width()).isEqualTo(680);
        assertThat(size.width() % 8).isZero();
    }

    @Test
    void neverExceedsTheMaximumWhenRoundingWouldGoPastIt() {
        // 4000 * 1925/4000 = 1925: the nearest multiple of 8 is 1928, past the maximum.
        assertThat(OutputSize.fit(4000, 3000, 1925)).isEqualTo(new OutputSize(1920, 1440));
        assertThat(OutputSize.fit(3000, 4000, 1925)).isEqualTo(new OutputSize(1440, 1920));
        for (int maxSide = 256; maxSide <= 2048; maxSide++) {
            OutputSize size = OutputSize.fit(4000, 2999, maxSide);
            assertThat(Math.max(size.width(), size.height()))
                    .as("maxSide %d", maxSide)
                    .isLessThanOrEqualTo(maxSide);
            assertThat(size.width() % 8 + size.height() % 8).isZero();
        }
    }

    @Test
    void tinyPicturesStillGetAValidSize() {
        assertThat(OutputSize.fit(3, 2, 1920)).isEqualTo(new OutputSize(8, 8));
    }
}
