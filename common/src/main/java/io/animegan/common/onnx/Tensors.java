package io.animegan.common.onnx;

import io.animegan.common.image.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
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
        try (MatScope scope = new MatScope()) {
            Mat rgb = scope.newMat();
            Mat floats = scope.newMat();
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            rgb.convertTo(floats, CvType.CV_32FC3, scale, offset);
            float[] data = sized(reuse, (int) (bgr.total() * 3));
            floats.get(0, 0, data);
            return data;
        }
    }

    /** 8-bit BGR image to NCHW BGR floats with a per-channel mean subtracted. */
    public static float[] bgrToNchw(Mat bgr, double[] meanBgr, float[] reuse) {
        int height = bgr.rows();
        float[] data = sized(reuse, (int) bgr.total() * 3);
        try (MatScope scope = new MatScope()) {
            Mat floats = scope.newMat();
            // The three planes stacked vertically are exactly the NCHW layout: OpenCV writes each channel
            // into its band, and one copy brings the whole tensor to Java.
            Mat planes = scope.own(new Mat(3 * height, bgr.cols(), CvType.CV_32F));
            bgr.convertTo(floats, CvType.CV_32FC3);
            Core.subtract(floats, new Scalar(meanBgr[0], meanBgr[1], meanBgr[2]), floats);
            for (int c = 0; c < 3; c++) {
                Core.extractChannel(floats, scope.own(planes.rowRange(c * height, (c + 1) * height)), c);
            }
            planes.get(0, 0, data);
            return data;
        }
    }

    private static float[] sized(float[] reuse, int length) {
        return reuse != null && reuse.length == length ? reuse : new float[length];
    }
}
