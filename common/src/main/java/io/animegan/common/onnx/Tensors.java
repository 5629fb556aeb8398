package io.animegan.common.onnx;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Pixel layout conversions between OpenCV images and model tensors. OpenCV does the per-pixel
 * work in native code; Java only copies whole planes into caller-owned arrays, which callers
 * reuse between images of the same size.
 */
public final class Tensors {

  private Tensors() {}

  /** 8-bit BGR image to NHWC RGB floats, {@code v = pixel * scale + offset}. */
  public static float[] bgrToNhwcRgb(Mat bgr, double scale, double offset, float[] reuse) {
    Mat rgb = new Mat();
    Mat floats = new Mat();
    try {
      Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
      rgb.convertTo(floats, CvType.CV_32FC3, scale, offset);
      float[] data = sized(reuse, (int) (bgr.total() * 3));
      floats.get(0, 0, data);
      return data;
    } finally {
      rgb.release();
      floats.release();
    }
  }

  /** NHWC RGB floats to 8-bit BGR, {@code pixel = clamp(round(v * scale + offset))}. */
  public static Mat nhwcRgbToBgr(float[] data, int height, int width, double scale, double offset) {
    Mat floats = new Mat(height, width, CvType.CV_32FC3);
    Mat rgb = new Mat();
    Mat bgr = new Mat();
    try {
      floats.put(0, 0, data);
      // convertTo to 8 bits rounds and saturates, which is exactly the clamp(round()) we need.
      floats.convertTo(rgb, CvType.CV_8UC3, scale, offset);
      Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
      return bgr;
    } finally {
      floats.release();
      rgb.release();
    }
  }

  /** 8-bit BGR image to NCHW BGR floats with a per-channel mean subtracted. */
  public static float[] bgrToNchw(Mat bgr, double[] meanBgr, float[] reuse) {
    int plane = (int) bgr.total();
    float[] data = sized(reuse, plane * 3);
    List<Mat> channels = new ArrayList<>(3);
    Core.split(bgr, channels);
    Mat floats = new Mat();
    float[] planeData = new float[plane];
    try {
      for (int c = 0; c < 3; c++) {
        channels.get(c).convertTo(floats, CvType.CV_32F, 1.0, -meanBgr[c]);
        floats.get(0, 0, planeData);
        System.arraycopy(planeData, 0, data, c * plane, plane);
      }
      return data;
    } finally {
      floats.release();
      channels.forEach(Mat::release);
    }
  }

  private static float[] sized(float[] reuse, int length) {
    return reuse != null && reuse.length == length ? reuse : new float[length];
  }
}
