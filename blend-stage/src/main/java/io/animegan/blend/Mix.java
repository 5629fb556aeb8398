package io.animegan.blend;

import io.animegan.common.image.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** Per-pixel weighted mix of two 8-bit images, the one operation every blending step shares. */
final class Mix {

    private Mix() {}

    /** @return {@code weight * a + (1 - weight) * b}, a new Mat; weight is CV_32F in 0..1 */
    static Mat of(Mat a, Mat b, Mat weight) {
        try (MatScope scope = new MatScope()) {
            Mat rest = scope.own(new Mat(weight.size(), CvType.CV_32F, new Scalar(1.0)));
            Core.subtract(rest, weight, rest);
            Mat out = scope.newMat();
            Imgproc.blendLinear(a, b, weight, rest, out);
            return scope.detach(out);
        }
    }
}
