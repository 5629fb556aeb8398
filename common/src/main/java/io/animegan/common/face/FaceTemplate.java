package io.animegan.common.face;

/**
 * Where the five face landmarks (eyes, nose tip, mouth corners, in the detector's order) should
 * land in a square crop of the given size.
 *
 * @param points {@code x0, y0, ..., x4, y4} in crop pixels
 */
public record FaceTemplate(int size, float[] points) {

  /** Side of every aligned face crop; lengths in the face path are given in pixels of this crop. */
  public static final int CROP_SIZE = 512;
  public static final int LANDMARK_COUNT = 5;

  /**
   * facexlib's FFHQ template for a 512x512 crop (the layout GFPGAN/CodeFormer restorers and the
   * FFHQ-trained models expect): eyes at about 47% of the height, mouth at 72%, face centred.
   */
  public static final FaceTemplate FFHQ_512 = new FaceTemplate(CROP_SIZE, new float[] {
      192.98138f, 239.94708f,
      318.90277f, 240.1936f,
      256.63416f, 314.01935f,
      201.26117f, 371.41043f,
      313.08905f, 371.15118f});

  public FaceTemplate {
    if (points.length != LANDMARK_COUNT * 2) {
      throw new IllegalArgumentException("expected 10 template coordinates, got " + points.length);
    }
    points = points.clone();
  }

  /**
   * {@code length} given in pixels of a {@link #CROP_SIZE} crop, scaled to a crop of
   * {@code cropSide} pixels: crops are parsed and blended at whatever size they arrive.
   */
  public static double scaled(double length, int cropSide) {
    return length * cropSide / CROP_SIZE;
  }

  /** A copy: the shared templates stay unchanged. */
  @Override
  public float[] points() {
    return points.clone();
  }
}
