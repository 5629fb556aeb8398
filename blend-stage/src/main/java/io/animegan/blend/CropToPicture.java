package io.animegan.blend;

import io.animegan.common.image.MatScope;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Where an aligned crop goes back in the output picture. face-stage records the similarity
 * transform from source pixels to the crop; the output picture is the source scaled by (sx, sy),
 * so crop to output = scale ∘ inverse(source to crop).
 */
public final class CropToPicture {

    private CropToPicture() {}

    /** @return a 2x3 CV_64F affine from crop pixels to output pixels, which the caller owns */
    public static Mat transform(double[] sourceToCrop, double scaleX, double scaleY) {
        try (MatScope scope = new MatScope()) {
            Mat forward = scope.own(new Mat(2, 3, CvType.CV_64F));
            forward.put(0, 0, sourceToCrop);
            Mat inverse = scope.newMat();
            Imgproc.invertAffineTransform(forward, inverse);
            double[] m = new double[6];
            inverse.get(0, 0, m);
            Mat out = scope.own(new Mat(2, 3, CvType.CV_64F));
            out.put(0, 0, m[0] * scaleX, m[1] * scaleX, m[2] * scaleX, m[3] * scaleY, m[4] * scaleY, m[5] * scaleY);
            return scope.detach(out);
        }
    }

    /** Mean scale factor of a 2x3 similarity transform (crop pixels per output pixel inverse). */
    public static double scale(Mat affine) {
        double a = affine.get(0, 0)[0];
        double b = affine.get(0, 1)[0];
        return Math.sqrt(a * a + b * b);
    }
}
