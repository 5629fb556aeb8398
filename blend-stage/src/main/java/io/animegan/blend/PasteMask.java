package io.animegan.blend;

import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The part of an aligned crop that is pasted back: the face with hair and ears, taken from the
 * parsing labels (minus background, cloth, neck), eroded so the seam sits inside the face region,
 * or an ellipse around the canonical face when there is no parsing.
 */
public final class PasteMask {

  static {
    OpenCv.load();
  }

  /** CelebAMask-HQ classes that belong to the pasted face: skin .. lips, hair, hat. */
  private static final int[] FACE_CLASSES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 18};

  private PasteMask() {}

  /** Binary (0/255) mask at crop size. */
  public static Mat fromParsing(Mat labels) {
    Mat mask = Mat.zeros(labels.size(), CvType.CV_8UC1);
    Mat hit = new Mat();
    for (int cls : FACE_CLASSES) {
      Core.inRange(labels, new Scalar(cls), new Scalar(cls), hit);
      Core.bitwise_or(mask, hit, mask);
    }
    hit.release();
    return erode(largestBlobFilled(mask), labels.cols());
  }

  /** An ellipse covering the face of the canonical 512 template, for crops without parsing. */
  public static Mat ellipse(int cropSize) {
    Mat mask = Mat.zeros(cropSize, cropSize, CvType.CV_8UC1);
    double s = cropSize / 512.0;
    Imgproc.ellipse(mask, new Point(256 * s, 280 * s), new Size(150 * s, 200 * s), 0, 0, 360, new Scalar(255), -1);
    return mask;
  }

  /** Soft version of a binary mask, 0..1 floats, for feathering the seam after cloning. */
  public static Mat feather(Mat binary, int radius) {
    Mat soft = new Mat();
    binary.convertTo(soft, CvType.CV_32F, 1 / 255.0);
    int k = 2 * Math.max(1, radius) + 1;
    Imgproc.GaussianBlur(soft, soft, new Size(k, k), 0);
    return soft;
  }

  private static Mat erode(Mat mask, int cropSize) {
    int r = Math.max(1, cropSize / 64);
    Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(2 * r + 1, 2 * r + 1));
    Imgproc.erode(mask, mask, kernel);
    return mask;
  }

  /** Keeps the face's own region (the one nearest the crop centre) and fills its holes. */
  private static Mat largestBlobFilled(Mat mask) {
    java.util.List<org.opencv.core.MatOfPoint> contours = new java.util.ArrayList<>();
    Imgproc.findContours(mask.clone(), contours, new Mat(), Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
    Mat filled = Mat.zeros(mask.size(), CvType.CV_8UC1);
    int best = -1;
    double bestArea = 0;
    for (int i = 0; i < contours.size(); i++) {
      double area = Imgproc.contourArea(contours.get(i));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    if (best >= 0) {
      Imgproc.drawContours(filled, contours, best, new Scalar(255), -1);
    }
    return filled;
  }
}
