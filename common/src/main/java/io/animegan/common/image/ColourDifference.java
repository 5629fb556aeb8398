package io.animegan.common.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Colour differences between two 8-bit BGR pictures of one size, per pixel, averaged. */
public final class ColourDifference {

    private ColourDifference() {}

    /** Mean CIEDE2000 ΔE over all pixels (Lab from OpenCV's float sRGB conversion, D65). */
    public static double meanCiede2000(Mat bgrA, Mat bgrB) {
        try (MatScope scope = new MatScope()) {
            float[] a = labValues(bgrA, scope);
            float[] b = labValues(bgrB, scope);
            double sum = 0;
            for (int i = 0; i < a.length; i += 3) {
                sum += ciede2000(a[i], a[i + 1], a[i + 2], b[i], b[i + 1], b[i + 2]);
            }
            return sum / (a.length / 3);
        }
    }

    private static float[] labValues(Mat bgr, MatScope scope) {
        Mat unit = scope.newMat();
        bgr.convertTo(unit, CvType.CV_32FC3, 1 / 255.0);
        Mat lab = scope.newMat();
        Imgproc.cvtColor(unit, lab, Imgproc.COLOR_BGR2Lab);
        float[] values = new float[(int) lab.total() * 3];
        lab.get(0, 0, values);
        return values;
    }

    /** CIEDE2000 (Sharma, Wu and Dalal 2005), kL = kC = kH = 1. */
    public static double ciede2000(double l1, double a1, double b1, double l2, double a2, double b2) {
        double c1 = Math.hypot(a1, b1);
        double c2 = Math.hypot(a2, b2);
        double cBar7 = Math.pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + Math.pow(25, 7))));
        double a1p = (1 + g) * a1;
        double a2p = (1 + g) * a2;
        double c1p = Math.hypot(a1p, b1);
        double c2p = Math.hypot(a2p, b2);
        double h1p = hue(b1, a1p);
        double h2p = hue(b2, a2p);
        double dLp = l2 - l1;
        double dCp = c2p - c1p;
        double dhp = 0;
        if (c1p * c2p != 0) {
            dhp = h2p - h1p;
            if (dhp > 180) {
                dhp -= 360;
            } else if (dhp < -180) {
                dhp += 360;
            }
        }
        double dHp = 2 * Math.sqrt(c1p * c2p) * Math.sin(Math.toRadians(dhp / 2));
        double lBarP = (l1 + l2) / 2;
        double cBarP = (c1p + c2p) / 2;
        double hBarP = h1p + h2p;
        if (c1p * c2p != 0) {
            if (Math.abs(h1p - h2p) <= 180) {
                hBarP = (h1p + h2p) / 2;
            } else if (h1p + h2p < 360) {
                hBarP = (h1p + h2p + 360) / 2;
            } else {
                hBarP = (h1p + h2p - 360) / 2;
            }
        }
        double t = 1
                - 0.17 * cosDeg(hBarP - 30)
                + 0.24 * cosDeg(2 * hBarP)
                + 0.32 * cosDeg(3 * hBarP + 6)
                - 0.20 * cosDeg(4 * hBarP - 63);
        double dTheta = 30 * Math.exp(-Math.pow((hBarP - 275) / 25, 2));
        double cBarP7 = Math.pow(cBarP, 7);
        double rc = 2 * Math.sqrt(cBarP7 / (cBarP7 + Math.pow(25, 7)));
        double l50 = (lBarP - 50) * (lBarP - 50);
        double sl = 1 + 0.015 * l50 / Math.sqrt(20 + l50);
        double sc = 1 + 0.045 * cBarP;
        double sh = 1 + 0.015 * cBarP * t;
        double rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
        double l = dLp / sl;
        double c = dCp / sc;
        double h = dHp / sh;
        return Math.sqrt(l * l + c * c + h * h + rt * c * h);
    }

    private static double hue(double b, double ap) {
        if (b == 0 && ap == 0) {
            return 0;
        }
        double h = Math.toDegrees(Math.atan2(b, ap));
        return h < 0 ? h + 360 : h;
    }

    private static double cosDeg(double degrees) {
        return Math.cos(Math.toRadians(degrees));
    }
}
