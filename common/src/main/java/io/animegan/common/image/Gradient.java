package io.animegan.common.image;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Grey-level gradient magnitude, the one measure of "how busy" a place in a picture is. */
public final class Gradient {

    private Gradient() {}

    /** 3x3 Sobel magnitude of the grey picture, as a new CV_32F Mat the caller owns. */
    public static Mat magnitude(Mat bgr) {
        try (MatScope scope = new MatScope()) {
            Mat grey = scope.newMat();
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            Mat dx = scope.newMat();
            Mat dy = scope.newMat();
            Imgproc.Sobel(grey, dx, CvType.CV_32F, 1, 0);
            Imgproc.Sobel(grey, dy, CvType.CV_32F, 0, 1);
            Mat magnitude = scope.newMat();
            Core.magnitude(dx, dy, magnitude);
            return scope.detach(magnitude);
        }
    }
}
