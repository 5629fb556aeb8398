package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LandmarkSmootherTest {

    /** A face about 80 px wide: eyes 40 px apart. */
    static final float[] FACE = {100, 100, 140, 100, 120, 122, 104, 142, 136, 142};

    static final double EYES = 40;

    @Test
    void removesMostOfTheJitterOfAStillFace() {
        Random random = new Random(7);
        LandmarkSmoother smoother = new LandmarkSmoother(LandmarkSmoother.Settings.DEFAULT);
        double raw = 0;
        double smoothed = 0;
        int frames = 300;
        for (int t = 0; t < frames; t++) {
            float[] noisy = jittered(FACE, random, 1.5);
            float[] out = smoother.smooth(noisy, EYES);
            if (t >= 20) {
                raw += squaredError(noisy, FACE);
                smoothed += squaredError(out, FACE);
            }
        }
        double ratio = Math.sqrt(smoothed / raw);
        System.out.printf("still face, 1.5 px jitter: smoothed/raw RMS error %.3f%n", ratio);
        assertThat(ratio).isLessThan(0.45);
    }

    @Test
    void followsTheSourcesMotionWithoutLag() {
        Random random = new Random(11);
        LandmarkSmoother smoother = new LandmarkSmoother(LandmarkSmoother.Settings.DEFAULT);
        float[] truth = FACE.clone();
        float[] tracked = FACE.clone();
        double error = 0;
        for (int t = 0; t < 100; t++) {
            LandmarkSmoother.PointMotion pan = points -> shift(points, 3.0f, -1.2f);
            pan.move(truth);
            pan.move(tracked);
            smoother.follow(pan);
            if (t % 5 == 0) {
                tracked = jittered(truth, random, 1.5);
            }
            float[] out = smoother.smooth(tracked, EYES);
            if (t >= 20) {
                error += Math.abs(mean(out, 0) - mean(truth, 0));
            }
        }
        assertThat(error / 80).as("mean lag in x, px").isLessThan(0.8);
    }

    @Test
    void followsAMoveTheMotionDidNotExplainWithinAFewFrames() {
        LandmarkSmoother smoother = new LandmarkSmoother(LandmarkSmoother.Settings.DEFAULT);
        for (int t = 0; t < 30; t++) {
            smoother.smooth(FACE, EYES);
        }
        float[] moved = FACE.clone();
        float[] out = null;
        int frames = 0;
        // The face walks 4 px per frame for 10 frames, which no motion was given for.
        for (int t = 0; t < 10; t++) {
            shift(moved, 4, 0);
            out = smoother.smooth(moved, EYES);
        }
        while (Math.abs(mean(out, 0) - mean(moved, 0)) > 1 && frames < 50) {
            out = smoother.smooth(moved, EYES);
            frames++;
        }
        System.out.printf("unexplained 40 px walk: within 1 px %d frames after it stops%n", frames);
        assertThat(frames).isLessThanOrEqualTo(8);
    }

    @Test
    void startsAfreshAfterAReset() {
        LandmarkSmoother smoother = new LandmarkSmoother(LandmarkSmoother.Settings.DEFAULT);
        smoother.smooth(FACE, EYES);
        float[] far = FACE.clone();
        shift(far, 200, 50);
        smoother.reset();
        assertThat(smoother.smooth(far, EYES)).containsExactly(far);
    }

    static float[] jittered(float[] points, Random random, double sigma) {
        float[] out = points.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (random.nextGaussian() * sigma);
        }
        return out;
    }

    static void shift(float[] points, float dx, float dy) {
        for (int i = 0; i < points.length; i += 2) {
            points[i] += dx;
            points[i + 1] += dy;
        }
    }

    static double mean(float[] points, int offset) {
        double sum = 0;
        for (int i = offset; i < points.length; i += 2) {
            sum += points[i];
        }
        return sum / (points.length / 2);
    }

    static double squaredError(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }
}
