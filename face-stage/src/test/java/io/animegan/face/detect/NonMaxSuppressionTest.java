package io.animegan.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class NonMaxSuppressionTest {

    @Test
    void keepsTheBestOfOverlappingBoxesAndSeparateBoxes() {
        DetectedFace best = box(100, 100, 200, 200, 0.99f);
        DetectedFace shifted = box(110, 105, 210, 205, 0.95f);
        DetectedFace elsewhere = box(400, 100, 480, 190, 0.90f);

        List<DetectedFace> kept = NonMaxSuppression.apply(List.of(shifted, elsewhere, best), 0.4f);

        assertThat(kept).containsExactly(best, elsewhere);
    }

    @Test
    void keepsBoxesThatOverlapLessThanTheThreshold() {
        DetectedFace a = box(0, 0, 100, 100, 0.9f);
        // Overlap 50x100 = 5000, union 15000: IoU 1/3, below 0.4.
        DetectedFace b = box(50, 0, 150, 100, 0.8f);

        assertThat(NonMaxSuppression.iou(a, b)).isCloseTo(1f / 3, within(1e-6f));
        assertThat(NonMaxSuppression.apply(List.of(a, b), 0.4f)).containsExactly(a, b);
    }

    @Test
    void iouIsZeroForBoxesThatOnlyTouch() {
        assertThat(NonMaxSuppression.iou(box(0, 0, 10, 10, 1), box(10, 0, 20, 10, 1)))
                .isZero();
    }

    /**
     * OpenCV's NMSBoxes keeps exactly the boxes of the greedy suppression written out below, in the
     * same order, on every sample photo: at the detector's two input sides, at its score threshold
     * and at a low one that leaves many more overlapping candidates.
     */
    @Test
    void keepsTheSameBoxesAsGreedySuppressionOnEverySample() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(TestAssets.samplesDir())) {
            samples = files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
        assertThat(samples).isNotEmpty();
        String modelName = "retinaface-mobilenet0.25.onnx";
        int compared = 0;
        try (OnnxModel model = OnnxModel.load(TestAssets.requireModel(modelName), modelName, 0)) {
            for (float threshold : new float[] {RetinaFaceDetector.DEFAULT_SCORE_THRESHOLD, 0.3f}) {
                try (RetinaFaceDetector detector = new RetinaFaceDetector(model, threshold)) {
                    for (Path sample : samples) {
                        Mat picture = ImageCodec.decode(Files.readAllBytes(sample));
                        try {
                            for (int side :
                                    new int[] {RetinaFaceDetector.MAX_INPUT_SIDE, RetinaFaceDetector.MIN_INPUT_SIDE}) {
                                List<DetectedFace> candidates = detector.candidates(picture, side);
                                List<DetectedFace> kept =
                                        NonMaxSuppression.apply(candidates, RetinaFaceDetector.NMS_IOU_THRESHOLD);
                                assertThat(kept)
                                        .as("%s at %d px, score > %s", sample.getFileName(), side, threshold)
                                        .containsExactlyElementsOf(
                                                greedy(candidates, RetinaFaceDetector.NMS_IOU_THRESHOLD));
                                compared += candidates.size();
                            }
                        } finally {
                            picture.release();
                        }
                    }
                }
            }
        }
        assertThat(compared).as("candidates compared").isGreaterThan(100);
    }

    /** The reference: sort by score (stable), keep the best, drop what overlaps it by more than the threshold. */
    private static List<DetectedFace> greedy(List<DetectedFace> candidates, float iouThreshold) {
        List<DetectedFace> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            DetectedFace best = remaining.remove(0);
            kept.add(best);
            remaining.removeIf(other -> NonMaxSuppression.iou(best, other) > iouThreshold);
        }
        return kept;
    }

    private static DetectedFace box(float x1, float y1, float x2, float y2, float score) {
        return new DetectedFace(x1, y1, x2, y2, score, new float[10]);
    }
}
