package io.animegan.blend;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * How visible the edge of a pasted region is.
 *
 * <ul>
 *   <li>Gradient magnitude: {@code sqrt(gx^2 + gy^2)} of the grey picture (0..255), with 3x3
 *       Sobel derivatives divided by 8, i.e. about the grey-level step per pixel.
 *   <li>Seam: the mean gradient magnitude of the RESULT over a ring of +-2 px around the contour
 *       of the paste mask (the contour's pixels dilated by a 5x5 ellipse).
 *   <li>Surround: the mean gradient magnitude of the full-picture STYLIZATION (before pasting)
 *       over a band 10..30 px outside the paste mask (mask dilated by 30 px minus mask dilated by
 *       10 px).
 *   <li>Pixels within 3 px of the picture's border are left out of both: where a face crosses the
 *       border the mask ends there, and that edge is no seam.
 * </ul>
 *
 * The paste passes if {@code seam <= 1.5 * surround}: along its edge the result is no busier than
 * the stylized picture around the face.
 */
final class SeamMetric {

    static final double LIMIT = 1.5;
    static final int RING = 2;
    static final int BAND_FROM = 10;
    static final int BAND_TO = 30;
    static final int BORDER = 3;

    private SeamMetric() {}

    /** @param ringStylized the stylization's own gradient on the same ring, for context */
    record Seam(double seam, double surround, double ringStylized) {

        double ratio() {
            return seam / surround;
        }

        boolean passes() {
            return ratio() <= LIMIT;
        }

        /** False when the contour lies wholly outside the picture (nothing to measure). */
        boolean measured() {
            return !Double.isNaN(ratio());
        }

        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "seam %.2f / surround %.2f = %.2f (stylized picture on the same ring: %.2f)",
                    seam,
                    surround,
                    ratio(),
                    ringStylized);
        }
    }

    /**
     * @param mask 0/255 CV_8UC1 paste mask in picture coordinates
     */
    static Seam measure(Mat result, Mat stylized, Mat mask) {
        Mat inner = valid(mask.size());
        Mat ring = ring(mask);
        Core.bitwise_and(ring, inner, ring);
        Mat outside = band(mask);
        Core.bitwise_and(outside, inner, outside);
        Mat resultGradient = gradient(result);
        Mat stylizedGradient = gradient(stylized);
        Seam seam = new Seam(
                Core.mean(resultGradient, ring).val[0],
                Core.mean(stylizedGradient, outside).val[0],
                Core.mean(stylizedGradient, ring).val[0]);
        for (Mat m : new Mat[] {inner, ring, outside, resultGradient, stylizedGradient}) {
            m.release();
        }
        return seam;
    }

    static Mat ring(Mat mask) {
        Mat eroded = new Mat();
        Imgproc.erode(mask, eroded, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3)));
        Mat contour = new Mat();
        Core.subtract(mask, eroded, contour);
        Imgproc.dilate(contour, contour, disk(RING));
        eroded.release();
        return contour;
    }

    /** Pixels 10..30 px (Euclidean) outside the mask, by a distance transform (big dilations are slow). */
    static Mat band(Mat mask) {
        Mat outside = new Mat();
        Core.bitwise_not(mask, outside);
        Mat distance = new Mat();
        Imgproc.distanceTransform(outside, distance, Imgproc.DIST_L2, Imgproc.DIST_MASK_PRECISE);
        Mat band = new Mat();
        Core.inRange(distance, new Scalar(BAND_FROM + 0.5), new Scalar(BAND_TO + 0.5), band);
        outside.release();
        distance.release();
        return band;
    }

    static Mat gradient(Mat bgr) {
        Mat grey = new Mat();
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        grey.convertTo(grey, CvType.CV_32F);
        Mat dx = new Mat();
        Mat dy = new Mat();
        Imgproc.Sobel(grey, dx, CvType.CV_32F, 1, 0, 3, 1 / 8.0);
        Imgproc.Sobel(grey, dy, CvType.CV_32F, 0, 1, 3, 1 / 8.0);
        Mat magnitude = new Mat();
        Core.magnitude(dx, dy, magnitude);
        grey.release();
        dx.release();
        dy.release();
        return magnitude;
    }

    private static Mat valid(Size size) {
        Mat inner = Mat.zeros(size, CvType.CV_8UC1);
        Imgproc.rectangle(
                inner,
                new Point(BORDER, BORDER),
                new Point(size.width - 1 - BORDER, size.height - 1 - BORDER),
                new Scalar(255),
                -1);
        return inner;
    }

    private static Mat disk(int radius) {
        return Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(2 * radius + 1, 2 * radius + 1));
    }

    /**
     * The naive paste the metric must reject: the same processed crop warped into the picture as a
     * whole square, no mask, no blending.
     *
     * @return the square's mask in picture coordinates; {@code picture} gets the crop pasted in
     */
    static Mat naiveRectanglePaste(Mat picture, Mat crop, Mat cropToPicture) {
        Mat warped = new Mat();
        Imgproc.warpAffine(
                crop, warped, cropToPicture, picture.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, Scalar.all(0));
        Mat square = new Mat(crop.size(), CvType.CV_8UC1, new Scalar(255));
        Mat mask = new Mat();
        Imgproc.warpAffine(
                square,
                mask,
                cropToPicture,
                picture.size(),
                Imgproc.INTER_NEAREST,
                Core.BORDER_CONSTANT,
                Scalar.all(0));
        warped.copyTo(picture, mask);
        warped.release();
        square.release();
        return mask;
    }
}
