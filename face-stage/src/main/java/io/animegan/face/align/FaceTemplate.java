package io.animegan.face.align;

import io.animegan.face.detect.DetectedFace;

/**
 * Where the five landmarks of a {@link DetectedFace} should land in a square crop of the given
 * size, in the same point order as the detector's landmarks.
 *
 * @param points {@code x0, y0, ..., x4, y4} in crop pixels
 */
public record FaceTemplate(int size, float[] points) {

  /**
   * facexlib's FFHQ template for a 512x512 crop (the layout GFPGAN/CodeFormer restorers and the
   * FFHQ-trained models expect): eyes at about 47% of the height, mouth at 72%, face centred.
   */
  public static final FaceTemplate FFHQ_512 = new FaceTemplate(512, new float[] {
      192.98138f, 239.94708f,
      318.90277f, 240.1936f,
      256.63416f, 314.01935f,
      201.26117f, 371.41043f,
      313.08905f, 371.15118f});

  public FaceTemplate {
    if (points.length != DetectedFace.LANDMARK_COUNT * 2) {
      throw new IllegalArgumentException("expected 10 template coordinates, got " + points.length);
    }
    points = points.clone();
  }

  /** A copy: the shared templates stay unchanged. */
  @Override
  public float[] points() {
    return points.clone();
  }
}
