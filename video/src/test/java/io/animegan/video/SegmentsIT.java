package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * Segments drawn independently (each with its warm-up) against the clip drawn in one piece: whole clips
 * through decoder, generator and encoder, so it belongs to the integration tier.
 */
class SegmentsIT {

    @TempDir
    static Path dir;

    static Path clip;
    static VideoInfo info;
    static FrameSize size;

    @BeforeAll
    static void clip() throws Exception {
        Mat photo = TestClips.photo("street-railway.jpg", 180);
        clip = TestClips.write(
                dir.resolve("pan.mp4"), new TestClips.Spec().frames(100).painter(TestClips.pan(photo, 1.7, false)));
        photo.release();
        info = new VideoProbe().probe(clip);
        size = FrameSize.of(info, 1280);
    }

    /** Output frames of every segment of {@code plan}, each segment drawn on its own, by index. */
    static TreeMap<Integer, Mat> draw(SegmentPlan plan, FrameStylizer stylizer) {
        TreeMap<Integer, Mat> frames = new TreeMap<>();
        SegmentProcessor processor = new SegmentProcessor(stylizer, TemporalFilter.Settings.DEFAULT);
        for (Segment segment : plan.segments()) {
            processor.process(clip, info, plan, segment, size, (i, warm, bgr) -> frames.put(i, bgr.clone()));
        }
        return frames;
    }

    @Test
    void parallelSegmentsMatchOnePiece() {
        SegmentPlan pieces = new SegmentPlanner(1.0, 8, null).plan(info);
        SegmentPlan whole = new SegmentPlanner(1000, 8, null).plan(info);
        assertThat(pieces.segments()).hasSize(4);
        assertThat(whole.segments()).hasSize(1);
        TreeMap<Integer, Mat> a = draw(pieces, Stylizers.flicker());
        TreeMap<Integer, Mat> b = draw(whole, Stylizers.flicker());
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
        assertThat(a).hasSize(100);
        List<Mat> la = new ArrayList<>(a.values());
        List<Mat> lb = new ArrayList<>(b.values());
        double mean = SteadinessTest.meanAbsDifference(la, lb);
        double worst = 0;
        for (int i = 0; i < la.size(); i++) {
            worst = Math.max(worst, SteadinessTest.meanAbsDifference(List.of(la.get(i)), List.of(lb.get(i))));
        }
        System.out.printf("segments vs one piece: mean |difference| %.4f of 255 (worst frame %.3f)%n", mean, worst);
        assertThat(mean).isLessThanOrEqualTo(2.0);

        a.values().forEach(Mat::release);
        b.values().forEach(Mat::release);
    }

    @Test
    void bordersAreAsSteadyAsTheInsideWithAnimegan() {
        SegmentPlan pieces = new SegmentPlanner(0.6, 8, null).plan(info);
        SegmentPlan whole = new SegmentPlanner(1000, 8, null).plan(info);
        TreeMap<Integer, Mat> a;
        TreeMap<Integer, Mat> b;
        try (OnnxStylizer generator = new OnnxStylizer("animeganv3-cute-tiny.onnx", 16, 2)) {
            a = draw(pieces, generator);
            b = draw(whole, generator);
        }
        List<Mat> la = new ArrayList<>(a.values());
        List<Mat> lb = new ArrayList<>(b.values());
        List<Mat> source = Clips.frames(clip);
        int n = source.size();
        double[] errors = new double[n - 1];
        double[] onePiece = new double[n - 1];
        try (WarpError meter = new WarpError(1280)) {
            for (int t = 0; t + 1 < n; t++) {
                meter.source(source.get(t), source.get(t + 1));
                errors[t] = meter.error(la.get(t), la.get(t + 1));
                onePiece[t] = meter.error(lb.get(t), lb.get(t + 1));
            }
        }
        List<Double> border = new ArrayList<>();
        List<Double> borderOnePiece = new ArrayList<>();
        List<Double> inside = new ArrayList<>();
        for (int t = 0; t + 1 < n; t++) {
            int next = t + 1;
            if (pieces.segments().stream().anyMatch(s -> s.start() == next)) {
                border.add(errors[t]);
                borderOnePiece.add(onePiece[t]);
            } else {
                inside.add(errors[t]);
            }
        }
        double[] sorted =
                inside.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        double borderMean =
                border.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf(
                "animeganv3-cute-tiny, %d segments of %d frames (+8 warm-up): warp error at the %d borders %s "
                        + "(same pairs drawn in one piece %s): mean %.2f, median inside %.2f, ratio %.3f; "
                        + "segments vs one piece mean |difference| %.4f of 255%n",
                pieces.segments().size(),
                pieces.segment(1).frameCount(),
                border.size(),
                border.stream().map(e -> String.format("%.1f", e)).toList(),
                borderOnePiece.stream().map(e -> String.format("%.1f", e)).toList(),
                borderMean,
                median,
                borderMean / median,
                SteadinessTest.meanAbsDifference(la, lb));
        assertThat(borderMean).isLessThanOrEqualTo(1.25 * median);
        Clips.release(source);
        a.values().forEach(Mat::release);
        b.values().forEach(Mat::release);
    }

    @Test
    void decodeFilterAndEncodeHoldAFixedNumberOfFrames() {
        SegmentPlan plan = new SegmentPlanner(1.0, 8, null).plan(info);
        SegmentPlan longer = new SegmentPlanner(4.0, 8, null).plan(info);
        int before = TrackedMats.live();
        int[] peaks = new int[2];
        SegmentPlan[] plans = {plan, longer};
        for (int k = 0; k < 2; k++) {
            TrackedMats.resetPeak();
            Segment segment = plans[k].segment(plans[k].segments().size() - 1);
            new SegmentProcessor(Stylizers.flicker(), TemporalFilter.Settings.DEFAULT)
                    .encode(clip, info, plans[k], segment, size, dir.resolve("memory-" + k + ".mp4"));
            peaks[k] = TrackedMats.peak() - before;
            System.out.printf(
                    "segment of %d frames (+%d warm-up): at most %d Mats alive at once%n",
                    segment.frameCount(), segment.warmUpFrames(), peaks[k]);
        }
        assertThat(TrackedMats.live()).isEqualTo(before);
        assertThat(peaks[1]).isEqualTo(peaks[0]);
        assertThat(peaks[0]).isLessThanOrEqualTo(64);
        assertThat(Arrays.stream(peaks).max().orElseThrow()).isPositive();
    }
}
