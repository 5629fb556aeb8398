package io.animegan.blend;

import io.animegan.common.image.OpenCv;
import java.util.EnumMap;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;

/**
 * Soft (0..1, CV_32F) masks of the {@link FacePart}s of an aligned crop, from its parsing label
 * map. The binary class masks are Gaussian-blurred so that region edges never show in the mix;
 * since the parts don't overlap and blurring is linear, the soft masks still add up to at most 1
 * at every pixel.
 */
public final class RegionMasks implements AutoCloseable {

  /** Blur of small features (eyes, brows, lips) in 512-crop pixels: their size is 15..50 px. */
  static final double SMALL_SIGMA = 2.5;
  /** Blur of the large regions (skin, hair, glasses). */
  static final double LARGE_SIGMA = 5.0;

  static {
    OpenCv.load();
  }

  private final Map<FacePart, Mat> soft;

  private RegionMasks(Map<FacePart, Mat> soft) {
    this.soft = soft;
  }

  /** @param labels CV_8UC1 class indices at crop size */
  public static RegionMasks of(Mat labels) {
    double scale = labels.cols() / 512.0;
    Map<FacePart, Mat> soft = new EnumMap<>(FacePart.class);
    Mat binary = new Mat();
    for (FacePart part : FacePart.values()) {
      binary(labels, part, binary);
      Mat mask = new Mat();
      binary.convertTo(mask, CvType.CV_32F, 1 / 255.0);
      double sigma = (part.small() ? SMALL_SIGMA : LARGE_SIGMA) * scale;
      org.opencv.imgproc.Imgproc.GaussianBlur(mask, mask, new Size(0, 0), sigma);
      soft.put(part, mask);
    }
    binary.release();
    return new RegionMasks(soft);
  }

  /** 0/255 CV_8UC1 mask of the classes of {@code part}, into {@code out}, by one table lookup. */
  public static void binary(Mat labels, FacePart part, Mat out) {
    Mat table = new Mat(1, 256, CvType.CV_8UC1, new org.opencv.core.Scalar(0));
    for (int cls : part.classes()) {
      table.put(0, cls, 255);
    }
    Core.LUT(labels, table, out);
    table.release();
  }

  /** The soft mask of one part; owned by this object. */
  public Mat get(FacePart part) {
    return soft.get(part);
  }

  @Override
  public void close() {
    soft.values().forEach(Mat::release);
  }
}
