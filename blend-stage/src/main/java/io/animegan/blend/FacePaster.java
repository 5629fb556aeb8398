package io.animegan.blend;

import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * Pastes a processed face crop back into the picture: inverse-affine warp, Poisson blending
 * (OpenCV seamlessClone) inside the mask, then a feathered mix at the seam.
 *
 * <p>All the work happens in a window around the face, padded by replicating edge pixels where
 * the window leaves the picture: seamlessClone needs its mask strictly inside the destination,
 * which a face touching or crossing the border would otherwise break.
 */
public final class FacePaster {

  static {
    OpenCv.load();
  }

  /** Room around the face for the Poisson solver's boundary. */
  private static final int MARGIN = 16;

  private final int cloneMode;

  public FacePaster(int cloneMode) {
    this.cloneMode = cloneMode;
  }

  public static FacePaster normalClone() {
    return new FacePaster(Photo.NORMAL_CLONE);
  }

  /**
   * @param picture the stylized picture, changed in place
   * @param crop the processed aligned face, 8-bit BGR
   * @param cropMask binary 0/255 mask at crop size: what to paste
   * @param cropToPicture 2x3 affine from crop pixels to picture pixels
   * @return false if the face lies wholly outside the picture
   */
  public boolean paste(Mat picture, Mat crop, Mat cropMask, Mat cropToPicture) {
    Rect window = windowAround(crop.size(), cropToPicture);
    Rect inside = intersect(window, new Rect(0, 0, picture.cols(), picture.rows()));
    if (inside.width <= 0 || inside.height <= 0) {
      return false;
    }
    Mat toWindow = shifted(cropToPicture, -window.x, -window.y);
    Mat face = warp(crop, toWindow, window.size(), Imgproc.INTER_LINEAR);
    Mat mask = warp(cropMask, toWindow, window.size(), Imgproc.INTER_LINEAR);
    Imgproc.threshold(mask, mask, 127, 255, Imgproc.THRESH_BINARY);
    clearBorder(mask, 2);
    if (Core.countNonZero(mask) == 0) {
      return false;
    }
    Mat background = paddedWindow(picture, window, inside);
    Mat cloned = new Mat();
    Rect maskBox = Imgproc.boundingRect(mask);
    // seamlessClone centres the mask's bounding box on this point; integer halves keep it in place.
    Point centre = new Point(maskBox.x + maskBox.width / 2, maskBox.y + maskBox.height / 2);
    Photo.seamlessClone(face, background, mask, centre, cloned, cloneMode);

    Mat weights = PasteMask.feather(mask, featherRadius(cropToPicture, crop.cols()));
    Mat rest = new Mat(weights.size(), CvType.CV_32F, new Scalar(1.0));
    Core.subtract(rest, weights, rest);
    Mat blended = new Mat();
    Imgproc.blendLinear(cloned, background, weights, rest, blended);

    Rect back = new Rect(inside.x - window.x, inside.y - window.y, inside.width, inside.height);
    blended.submat(back).copyTo(picture.submat(inside));
    releaseAll(toWindow, face, mask, background, cloned, weights, rest, blended);
    return true;
  }

  /** The crop's corners mapped into the picture, plus a margin. */
  static Rect windowAround(Size cropSize, Mat cropToPicture) {
    MatOfPoint2f corners = new MatOfPoint2f(
        new Point(0, 0), new Point(cropSize.width, 0),
        new Point(0, cropSize.height), new Point(cropSize.width, cropSize.height));
    MatOfPoint2f mapped = new MatOfPoint2f();
    Core.transform(corners, mapped, cropToPicture);
    Rect box = Imgproc.boundingRect(mapped);
    return new Rect(box.x - MARGIN, box.y - MARGIN, box.width + 2 * MARGIN, box.height + 2 * MARGIN);
  }

  /**
   * A big shrink with a bilinear warp would alias (a 512 crop onto a 60-pixel face), so the crop is
   * first reduced with area averaging to about the target scale, then warped.
   */
  private static Mat warp(Mat image, Mat affine, Size size, int interpolation) {
    double scale = CropToPicture.scale(affine);
    Mat source = image;
    Mat transform = affine;
    if (scale < 0.5) {
      double factor = Math.min(1.0, scale * 1.5);
      source = new Mat();
      Imgproc.resize(image, source, new Size(), factor, factor, Imgproc.INTER_AREA);
      transform = scaledInput(affine, 1.0 / factor);
    }
    Mat out = new Mat();
    Imgproc.warpAffine(source, out, transform, size, interpolation, Core.BORDER_CONSTANT, Scalar.all(0));
    return out;
  }

  private static Mat scaledInput(Mat affine, double f) {
    double[] m = new double[6];
    affine.get(0, 0, m);
    Mat out = new Mat(2, 3, CvType.CV_64F);
    out.put(0, 0, m[0] * f, m[1] * f, m[2], m[3] * f, m[4] * f, m[5]);
    return out;
  }

  private static Mat shifted(Mat affine, double dx, double dy) {
    double[] m = new double[6];
    affine.get(0, 0, m);
    Mat out = new Mat(2, 3, CvType.CV_64F);
    out.put(0, 0, m[0], m[1], m[2] + dx, m[3], m[4], m[5] + dy);
    return out;
  }

  private static Mat paddedWindow(Mat picture, Rect window, Rect inside) {
    Mat part = picture.submat(inside);
    int top = inside.y - window.y;
    int left = inside.x - window.x;
    int bottom = window.y + window.height - (inside.y + inside.height);
    int right = window.x + window.width - (inside.x + inside.width);
    Mat padded = new Mat();
    Core.copyMakeBorder(part, padded, top, bottom, left, right, Core.BORDER_REPLICATE);
    return padded;
  }

  private static int featherRadius(Mat cropToPicture, int cropSize) {
    double faceSide = CropToPicture.scale(cropToPicture) * cropSize;
    return (int) Math.max(2, Math.round(faceSide / 40));
  }

  private static void clearBorder(Mat mask, int width) {
    Imgproc.rectangle(mask, new Point(0, 0), new Point(mask.cols() - 1, mask.rows() - 1), Scalar.all(0), width * 2);
  }

  private static Rect intersect(Rect a, Rect b) {
    int x1 = Math.max(a.x, b.x);
    int y1 = Math.max(a.y, b.y);
    int x2 = Math.min(a.x + a.width, b.x + b.width);
    int y2 = Math.min(a.y + a.height, b.y + b.height);
    return new Rect(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
  }

  private static void releaseAll(Mat... mats) {
    for (Mat m : mats) {
      m.release();
    }
  }
}
