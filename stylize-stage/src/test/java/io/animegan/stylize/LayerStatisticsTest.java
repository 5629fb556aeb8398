package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerStatisticsTest {

    /** Statistics of two parts of a sample, combined by their shares, are the whole sample's. */
    @Test
    void combinedPartsGiveTheWholesStatistics() {
        Random random = new Random(7);
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i < 300 ? 2 : -1) + random.nextGaussian() * (i < 300 ? 0.5 : 3);
        }
        LayerStatistics whole = of(values, 0, 1000);
        LayerStatistics combined =
                LayerStatistics.combine(List.of(of(values, 0, 300), of(values, 300, 1000)), new double[] {0.3, 0.7});
        assertThat(combined.mean()[0]).isCloseTo(whole.mean()[0], within(1e-9));
        assertThat(combined.variance()[0]).isCloseTo(whole.variance()[0], within(1e-9));
    }

    @Test
    void scaledByShiftsMeansAndScalesVariances() {
        LayerStatistics base = new LayerStatistics(new double[] {1, 0}, new double[] {4, 0});
        LayerStatistics from = new LayerStatistics(new double[] {0.5, 0}, new double[] {2, 0});
        LayerStatistics to = new LayerStatistics(new double[] {0.25, 3}, new double[] {3, 5});
        LayerStatistics scaled = base.scaledBy(from, to);
        assertThat(scaled.mean()).containsExactly(0.75, 3);
        assertThat(scaled.variance()).containsExactly(6, 0);
    }

    private static LayerStatistics of(double[] values, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += values[i] / (to - from);
        }
        double variance = 0;
        for (int i = from; i < to; i++) {
            variance += (values[i] - mean) * (values[i] - mean) / (to - from);
        }
        return new LayerStatistics(new double[] {mean}, new double[] {variance});
    }
}
