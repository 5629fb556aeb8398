package io.animegan.face.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimilarityTransformTest {

    private static final float[] POINTS = {10, 20, 60, 18, 35, 45, 15, 70, 58, 72};

    @Test
    void recoversAnExactSimilarity() {
        double angle = Math.toRadians(30);
        double scale = 1.7;
        double[] truth = {
            scale * Math.cos(angle),
            -scale * Math.sin(angle),
            12.5,
            scale * Math.sin(angle),
            scale * Math.cos(angle),
            -40
        };

        double[] estimated = SimilarityTransform.estimate(POINTS, mapped(truth, POINTS));

        assertThat(estimated).containsExactly(truth, within(1e-4));
    }

    @Test
    void fitsMirroredPointsWithoutReflectingThem() {
        float[] mirrored = new float[POINTS.length];
        for (int i = 0; i < POINTS.length; i += 2) {
            mirrored[i] = 100 - POINTS[i];
            mirrored[i + 1] = POINTS[i + 1];
        }

        double[] affine = SimilarityTransform.estimate(POINTS, mirrored);

        // Pure similarity: [[a, -b], [b, a]], hence a positive determinant.
        assertThat(affine[4]).isEqualTo(affine[0]);
        assertThat(affine[3]).isEqualTo(-affine[1]);
        assertThat(affine[0] * affine[4] - affine[1] * affine[3]).isPositive();
    }

    private static float[] mapped(double[] affine, float[] points) {
        float[] result = new float[points.length];
        for (int i = 0; i < points.length; i += 2) {
            double[] p = SimilarityTransform.apply(affine, points[i], points[i + 1]);
            result[i] = (float) p[0];
            result[i + 1] = (float) p[1];
        }
        return result;
    }
}
