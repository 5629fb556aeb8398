package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** The temporal filter's acceptance figures on uncompressed frames (no encoding in between). */
class SteadinessTest {

    @TempDir
    static Path dir;

    static List<Mat> pan;
    static List<Mat> cut;
    static final int CUT = 30;

    @BeforeAll
    static void clips() throws Exception {
        Mat photo = TestClips.photo("street-railway.jpg", 180);
        Mat other = TestClips.photo("couple-oranges.jpg", 180);
        pan = Clips.frames(TestClips.write(
                dir.resolve("pan.mp4"), new TestClips.Spec().frames(60).painter(TestClips.pan(photo, 1.7, false))));
        cut = Clips.frames(TestClips.write(
                dir.resolve("cut.mp4"),
                new TestClips.Spec()
                        .frames(50)
                        .painter(TestClips.cut(
                                TestClips.pan(photo, 1.7, false), TestClips.pan(other, -1.3, false), CUT))));
        photo.release();
        other.release();
    }

    @AfterAll
    static void release() {
        Clips.release(pan);
        Clips.release(cut);
    }

    /** Stylized frames, each on its own. */
    static List<Mat> stylized(List<Mat> source, FrameStylizer stylizer) {
        List<Mat> out = new ArrayList<>();
        for (Mat s : source) {
            out.add(stylizer.stylize(s));
        }
        return out;
    }

    /** The filter run over the whole sequence. */
    static List<Mat> filtered(List<Mat> source, List<Mat> stylized, TemporalFilter.Settings settings, long[] nanos) {
        List<Mat> out = new ArrayList<>();
        try (TemporalFilter filter = new TemporalFilter(settings)) {
            for (int i = 0; i < source.size(); i++) {
                long t = System.nanoTime();
                out.add(filter.apply(source.get(i), stylized.get(i)).clone());
                nanos[0] += System.nanoTime() - t;
            }
        }
        return out;
    }

    /** Mean warp error of an output sequence over all consecutive pairs. */
    static double warpError(List<Mat> source, List<Mat> output) {
        double sum = 0;
        try (WarpError meter = new WarpError(1280)) {
            for (int t = 0; t + 1 < source.size(); t++) {
                meter.source(source.get(t), source.get(t + 1));
                sum += meter.error(output.get(t), output.get(t + 1));
            }
        }
        return sum / (source.size() - 1);
    }

    static double meanAbsDifference(List<Mat> a, List<Mat> b) {
        double sum = 0;
        Mat diff = new Mat();
        for (int i = 0; i < a.size(); i++) {
            Core.absdiff(a.get(i), b.get(i), diff);
            double[] m = Core.mean(diff).val;
            sum += (m[0] + m[1] + m[2]) / 3;
        }
        diff.release();
        return sum / a.size();
    }

    @Test
    void flickerOfEightLevelsIsDamped() {
        List<Mat> y = stylized(pan, Stylizers.flicker());
        long[] nanos = {0};
        List<Mat> o = filtered(pan, y, TemporalFilter.Settings.DEFAULT, nanos);
        double raw = warpError(pan, y);
        double steady = warpError(pan, o);
        System.out.printf(
                "flicker ±8: warp error %.2f -> %.2f, ratio %.3f; filter %.1f ms/frame at 320x180%n",
                raw, steady, steady / raw, nanos[0] / 1e6 / pan.size());
        assertThat(steady / raw).isLessThanOrEqualTo(0.6);
        Clips.release(y);
        Clips.release(o);
    }

    @Test
    void identityStylizerOnAPanGivesTheInput() {
        List<Mat> y = stylized(pan, Stylizers.identity());
        List<Mat> o = filtered(pan, y, TemporalFilter.Settings.DEFAULT, new long[1]);
        double difference = meanAbsDifference(o, pan);
        System.out.printf("identity on a pan: mean |output - input| = %.4f of 255%n", difference);
        assertThat(difference).isLessThanOrEqualTo(1.0);
        Clips.release(y);
        Clips.release(o);
    }

    @Test
    void theFirstFrameAfterACutIsNotBlended() {
        List<Mat> y = stylized(cut, Stylizers.flicker());
        List<Integer> cuts = new ArrayList<>();
        Mat diff = new Mat();
        try (TemporalFilter filter = new TemporalFilter()) {
            for (int i = 0; i < cut.size(); i++) {
                Mat o = filter.apply(cut.get(i), y.get(i));
                if (filter.lastWasCut()) {
                    cuts.add(i);
                }
                if (i == CUT) {
                    Core.absdiff(o, y.get(i), diff);
                    assertThat(Core.norm(diff, Core.NORM_INF))
                            .as("frame after the cut is the stylized frame")
                            .isZero();
                }
                System.out.printf(
                        i >= CUT - 2 && i <= CUT + 1
                                ? "cut test frame %d: mean diff %.1f, histogram distance %.3f, cut %s%n"
                                : "",
                        i,
                        filter.cuts().lastMeanDifference(),
                        filter.cuts().lastHistogramDistance(),
                        filter.lastWasCut());
            }
        }
        diff.release();
        System.out.println("frames taken as they are (first and cuts): " + cuts);
        assertThat(cuts).containsExactly(0, CUT);
        Clips.release(y);
    }
}
