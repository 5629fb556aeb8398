package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.face.align.SimilarityTransform;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.video.SourceMotion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * How much an aligned face crop jitters on a synthetic pan over the sample portrait: where the
 * face's true points (the first detection, moved by the pan's known shift) land in each frame's
 * crop, and how far they move from one frame to the next, in crop pixels. A steady crop keeps
 * them still; the figure is the root mean square of that movement. Three ways are compared on
 * the same frames: a detection in every frame as it is (what frame-by-frame tools do), the
 * tracker without smoothing, and the tracker with smoothing (the product's).
 */
class FaceSteadinessTest {

    static final int FRAMES = 40;
    /** Smoothing off: the smoother takes each frame's points as they are. */
    static final LandmarkSmoother.Settings OFF = new LandmarkSmoother.Settings(1e9, 0, 1);

    @Test
    void smoothingSteadiesTheAlignedCropOnAPan() {
        Map<String, FaceTracker.Settings> ways = Map.of(
                "detected every frame", new FaceTracker.Settings(1, 0.3, 0.5, OFF),
                "tracked, not smoothed", new FaceTracker.Settings(5, 0.3, 0.5, OFF),
                "tracked and smoothed", FaceTracker.Settings.DEFAULT);
        Map<String, Double> jitter;
        try (OnnxModel model = OnnxModel.load(
                        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL), FaceStageApp.DETECTOR_MODEL, 1);
                RetinaFaceDetector detector = new RetinaFaceDetector(model);
                PortraitPan pan = new PortraitPan(320, 320, -1.7, -0.6)) {
            jitter = jitter(detector, pan, ways);
        }
        jitter.forEach((way, px) -> System.out.printf("aligned crop jitter on a pan, %s: %.3f crop px RMS%n", way, px));
        assertThat(jitter.get("tracked and smoothed")).isLessThan(0.5 * jitter.get("detected every frame"));
        assertThat(jitter.get("tracked and smoothed")).isLessThan(jitter.get("tracked, not smoothed"));
    }

    /** Each way's crop jitter over the same frames, each frame detected once for all of them. */
    static Map<String, Double> jitter(
            RetinaFaceDetector detector, PortraitPan pan, Map<String, FaceTracker.Settings> ways) {
        List<DetectedFace>[] detected = new List[1];
        Map<String, FaceTracker> trackers = new java.util.TreeMap<>();
        Map<String, List<float[]>> crops = new java.util.TreeMap<>();
        ways.forEach((way, settings) -> {
            trackers.put(way, new FaceTracker(frame -> detected[0], settings));
            crops.put(way, new ArrayList<>());
        });
        float[] truth0 = null;
        try (SourceMotion motion = FaceTrackerTest.motion()) {
            for (int i = 0; i < FRAMES; i++) {
                Mat frame = pan.frame(i);
                detected[0] = detector.detect(frame);
                motion.next(frame);
                if (truth0 == null) {
                    truth0 = detected[0].get(0).landmarks();
                }
                float[] truth = truth0.clone();
                LandmarkSmootherTest.shift(truth, (float) pan.shiftX(i), (float) pan.shiftY(i));
                for (Map.Entry<String, FaceTracker> e : trackers.entrySet()) {
                    DetectedFace face =
                            e.getValue().update(frame, motion).get(0).face();
                    crops.get(e.getKey()).add(inCrop(face, truth));
                }
                frame.release();
            }
        }
        Map<String, Double> out = new java.util.TreeMap<>();
        crops.forEach((way, points) -> out.put(way, rmsStep(points)));
        return out;
    }

    /** The true points in the crop aligned on {@code face}'s points. */
    static float[] inCrop(DetectedFace face, float[] truth) {
        int side = FaceTrackStylizer.cropSide(face);
        double[] affine = SimilarityTransform.estimate(
                face.landmarks(), FaceTemplate.FFHQ_512.scaledTo(side).points());
        float[] out = new float[truth.length];
        for (int p = 0; p < truth.length; p += 2) {
            double[] q = SimilarityTransform.apply(affine, truth[p], truth[p + 1]);
            out[p] = (float) q[0];
            out[p + 1] = (float) q[1];
        }
        return out;
    }

    /** Root mean square of the points' frame-to-frame movement. */
    static double rmsStep(List<float[]> frames) {
        double sum = 0;
        int n = 0;
        for (int t = 1; t < frames.size(); t++) {
            float[] a = frames.get(t - 1);
            float[] b = frames.get(t);
            for (int p = 0; p < a.length; p += 2) {
                sum += (b[p] - a[p]) * (b[p] - a[p]) + (b[p + 1] - a[p + 1]) * (b[p + 1] - a[p + 1]);
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }
}
