package io.animegan.face.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression: neighbouring priors fire on the same face; keep the best one. */
public final class NonMaxSuppression {

  private NonMaxSuppression() {}

  /**
   * Keeps the highest-scoring box of every group of boxes that overlap by more than
   * {@code iouThreshold}. The result is sorted by descending score.
   */
  public static List<DetectedFace> apply(List<DetectedFace> candidates, float iouThreshold) {
    List<DetectedFace> remaining = new ArrayList<>(candidates);
    remaining.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
    List<DetectedFace> kept = new ArrayList<>();
    while (!remaining.isEmpty()) {
      DetectedFace best = remaining.remove(0);
      kept.add(best);
      remaining.removeIf(other -> iou(best, other) > iouThreshold);
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
