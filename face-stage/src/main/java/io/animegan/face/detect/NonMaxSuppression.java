package io.animegan.face.detect;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect2d;
import org.opencv.core.Rect2d;
import org.opencv.dnn.Dnn;

/** Non-maximum suppression: neighbouring priors fire on the same face; keep the best one. */
public final class NonMaxSuppression {

    static {
        OpenCv.load();
    }

    private NonMaxSuppression() {}

    /**
     * Keeps the highest-scoring box of every group of boxes that overlap by more than
     * {@code iouThreshold} (OpenCV's greedy {@code NMSBoxes}; of equal scores the earlier box wins).
     * The result is sorted by descending score.
     */
    public static List<DetectedFace> apply(List<DetectedFace> candidates, float iouThreshold) {
        List<DetectedFace> kept = new ArrayList<>();
        if (candidates.isEmpty()) {
            return kept;
        }
        Rect2d[] boxes = new Rect2d[candidates.size()];
        float[] scores = new float[candidates.size()];
        for (int i = 0; i < boxes.length; i++) {
            DetectedFace face = candidates.get(i);
            boxes[i] = new Rect2d(face.x1(), face.y1(), face.width(), face.height());
            scores[i] = face.score();
        }
        try (MatScope scope = new MatScope()) {
            MatOfInt indices = scope.own(new MatOfInt());
            // Score threshold 0: the detector has already dropped the unlikely priors.
            Dnn.NMSBoxes(
                    scope.own(new MatOfRect2d(boxes)), scope.own(new MatOfFloat(scores)), 0f, iouThreshold, indices);
            for (int index : indices.toArray()) {
                kept.add(candidates.get(index));
            }
        }
        return kept;
    }

    /** Intersection over union of two boxes; 0 when they do not touch. */
    public static float iou(DetectedFace a, DetectedFace b) {
        float width = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        float height = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (width <= 0 || height <= 0) {
            return 0;
        }
        float intersection = width * height;
        return intersection / (a.area() + b.area() - intersection);
    }
}
