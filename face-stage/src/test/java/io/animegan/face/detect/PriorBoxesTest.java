package io.animegan.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PriorBoxesTest {

    @Test
    void countsMatchTheModelOutputLengths() {
        assertThat(new PriorBoxes(640, 640).count()).isEqualTo(16800);
        assertThat(new PriorBoxes(900, 900).count()).isEqualTo(33718);
        assertThat(PriorBoxes.count(900, 900)).isEqualTo(33718);
    }

    @Test
    void firstPriorsAreTheTwoSmallAnchorsOfTheTopLeftCell() {
        PriorBoxes priors = new PriorBoxes(640, 320);

        assertThat(priors.centerX(0)).isCloseTo(4f / 640, within(1e-7f));
        assertThat(priors.centerY(0)).isCloseTo(4f / 320, within(1e-7f));
        assertThat(priors.width(0)).isCloseTo(16f / 640, within(1e-7f));
        assertThat(priors.height(0)).isCloseTo(16f / 320, within(1e-7f));
        assertThat(priors.width(1)).isCloseTo(32f / 640, within(1e-7f));
        assertThat(priors.centerX(2)).isCloseTo(12f / 640, within(1e-7f));
    }

    @Test
    void lastPriorIsTheLargestAnchorOfTheBottomRightCell() {
        PriorBoxes priors = new PriorBoxes(900, 900);
        int last = priors.count() - 1;

        // ceil(900 / 32) = 29 cells: the last centre lies past the edge, as in upstream.
        assertThat(priors.centerX(last)).isCloseTo(28.5f * 32 / 900, within(1e-6f));
        assertThat(priors.centerY(last)).isCloseTo(28.5f * 32 / 900, within(1e-6f));
        assertThat(priors.width(last)).isCloseTo(512f / 900, within(1e-6f));
    }
}
