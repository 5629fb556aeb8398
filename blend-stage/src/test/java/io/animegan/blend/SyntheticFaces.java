package io.animegan.blend;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Drawn faces for the unit tests: a label map and crops in the FFHQ 512 layout. */
final class SyntheticFaces {

    static final int CROP = 512;

    private SyntheticFaces() {}

    /** Hair (17) around a skin (1) oval with eyes (4, 5), brows (2, 3), nose (10) and lips (12, 13). */
    static Mat labels() {
        Mat labels = Mat.zeros(CROP, CROP, CvType.CV_8UC1);
        Imgproc.ellipse(labels, new Point(256, 250), new Size(170, 210), 0, 0, 360, new Scalar(17), -1);
        Imgproc.ellipse(labels, new Point(256, 290), new Size(130, 170), 0, 0, 360, new Scalar(1), -1);
        Imgproc.ellipse(labels, new Point(193, 240), new Size(24, 10), 0, 0, 360, new Scalar(5), -1);
        Imgproc.ellipse(labels, new Point(319, 240), new Size(24, 10), 0, 0, 360, new Scalar(4), -1);
        Imgproc.rectangle(labels, new Point(160, 200), new Point(225, 212), new Scalar(3), -1);
        Imgproc.rectangle(labels, new Point(287, 200), new Point(352, 212), new Scalar(2), -1);
        Imgproc.ellipse(labels, new Point(256, 300), new Size(18, 30), 0, 0, 360, new Scalar(10), -1);
        Imgproc.ellipse(labels, new Point(256, 365), new Size(50, 8), 0, 180, 360, new Scalar(12), -1);
        Imgproc.ellipse(labels, new Point(256, 365), new Size(50, 12), 0, 0, 180, new Scalar(13), -1);
        return labels;
    }

    /** A crop painted by region: every class its own colour, plus some noise for texture. */
    static Mat crop(Mat labels, Scalar skin, double noise) {
        Mat crop = new Mat(CROP, CROP, CvType.CV_8UC3, new Scalar(90, 140, 60));
        Mat where = new Mat();
        paint(crop, labels, 17, new Scalar(30, 40, 60), where);
        paint(crop, labels, 1, skin, where);
        paint(crop, labels, 10, skin, where);
        paint(crop, labels, 4, new Scalar(40, 30, 30), where);
        paint(crop, labels, 5, new Scalar(40, 30, 30), where);
        paint(crop, labels, 2, new Scalar(30, 40, 50), where);
        paint(crop, labels, 3, new Scalar(30, 40, 50), where);
        paint(crop, labels, 12, new Scalar(80, 80, 200), where);
        paint(crop, labels, 13, new Scalar(80, 80, 200), where);
        if (noise > 0) {
            Mat grain = new Mat(crop.size(), CvType.CV_16SC3);
            Core.randn(grain, 0, noise);
            Core.add(crop, grain, crop, new Mat(), CvType.CV_8UC3);
            grain.release();
        }
        return crop;
    }

    private static void paint(Mat crop, Mat labels, int cls, Scalar colour, Mat where) {
        Core.compare(labels, new Scalar(cls), where, org.opencv.core.Core.CMP_EQ);
        crop.setTo(colour, where);
    }

    /** Crop-to-picture transform that scales the crop by s and puts its centre at (cx, cy), as source-to-crop. */
    static double[] sourceToCrop(double s, double cx, double cy) {
        // crop = (source - (cx, cy)) / s + 256
        return new double[] {1 / s, 0, 256 - cx / s, 0, 1 / s, 256 - cy / s};
    }
}
