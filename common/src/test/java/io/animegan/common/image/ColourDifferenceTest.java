package io.animegan.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ColourDifferenceTest {

    /** Pairs and results from Sharma, Wu and Dalal's CIEDE2000 test data. */
    @Test
    void ciede2000MatchesThePublishedTestData() {
        assertThat(ColourDifference.ciede2000(50, 2.6772, -79.7751, 50, 0, -82.7485))
                .isCloseTo(2.0425, within(1e-4));
        assertThat(ColourDifference.ciede2000(50, -1.3802, -84.2814, 50, 0, -82.7485))
                .isCloseTo(1.0000, within(1e-4));
        assertThat(ColourDifference.ciede2000(50, 2.5, 0, 50, 0, -2.5)).isCloseTo(4.3065, within(1e-4));
        assertThat(ColourDifference.ciede2000(2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514))
                .isCloseTo(0.9082, within(1e-4));
        assertThat(ColourDifference.ciede2000(60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387))
                .isCloseTo(1.2644, within(1e-4));
    }
}
