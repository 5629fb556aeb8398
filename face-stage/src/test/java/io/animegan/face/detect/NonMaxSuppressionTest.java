package io.animegan.face.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

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
    assertThat(NonMaxSuppression.iou(box(0, 0, 10, 10, 1), box(10, 0, 20, 10, 1))).isZero();
  }

  private static DetectedFace box(float x1, float y1, float x2, float y2, float score) {
    return new DetectedFace(x1, y1, x2, y2, score, new float[10]);
  }
}
