package io.animegan.stylize;

import io.animegan.common.image.MatScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Fast HD ("style resolution"): the generator draws the picture small and the drawing is brought
 * to the output size with the photo's detail, by guided upsampling (He and Sun's fast guided
 * filter): at the small size each output channel is fitted, per window, as a linear function of
 * the photo's grey level; the fitted coefficients are smooth, so they are upsampled and applied
 * to the full-size photo. Edges and fine structure come from the photo, colours and shading from
 * the drawing. The generator's time falls with the pixel count; the filter costs a few box
 * filters at the output size.
 */
public final class FastHd {

    /** Window radius of the fit, in pixels of the small drawing. */
    static final int RADIUS = 2;
    /** Regularisation of the fit (grey levels 0..1): larger keeps more of the drawing's flat shading. */
    static final double EPS = 1e-3;

    private FastHd() {}

    /**
     * {@code picture} (8-bit BGR at output size) drawn by {@code generator} at {@code styleSide}
     * (longest side) and guided back up to the picture's size; the generator runs at full size when
     * the picture is no larger than that. A new Mat the caller owns.
     */
    public static Mat draw(Mat picture, int styleSide, UnaryOperator<Mat> generator) {
        try (MatScope scope = new MatScope()) {
            Mat photoSmall = shrink(picture, styleSide);
            if (photoSmall == null) {
                return generator.apply(picture);
            }
            scope.own(photoSmall);
            Mat drawn = scope.own(generator.apply(photoSmall));
            return upsample(drawn, photoSmall, picture);
        }
    }

    /**
     * The copy of {@code picture} the generator draws for {@code styleSide} (a new Mat), or null
     * when the picture is no larger than that and is drawn as it is.
     */
    public static Mat shrink(Mat picture, int styleSide) {
        if (Math.max(picture.cols(), picture.rows()) <= styleSide) {
            return null;
        }
        OutputSize small = OutputSize.fit(picture.cols(), picture.rows(), styleSide);
        Mat photoSmall = new Mat();
        Imgproc.resize(picture, photoSmall, new Size(small.width(), small.height()), 0, 0, Imgproc.INTER_AREA);
        return photoSmall;
    }

    /**
     * {@code drawn} (the drawing of {@code photoSmall}) at {@code photo}'s size with its detail; a new Mat.
     * The fit is made at the small size; at the output size there are only a grey conversion, the
     * upsampling of the coefficients as two three-channel images and one multiply-add, with the
     * guide kept in 8 bits (the offsets are scaled to 0..255 instead) and the sum saturated straight
     * to 8 bits.
     */
    public static Mat upsample(Mat drawn, Mat photoSmall, Mat photo) {
        try (MatScope scope = new MatScope()) {
            Mat guideSmall = scope.own(grey(photoSmall));
            Size window = new Size(2 * RADIUS + 1, 2 * RADIUS + 1);
            Mat meanI = scope.newMat();
            Imgproc.boxFilter(guideSmall, meanI, CvType.CV_32F, window);
            Mat varI = covariance(guideSmall, guideSmall, meanI, meanI, window, scope);
            Core.add(varI, new Scalar(EPS), varI);

            Mat drawnFloat = scope.newMat();
            drawn.convertTo(drawnFloat, CvType.CV_32FC3, 1 / 255.0);
            List<Mat> channels = new ArrayList<>(3);
            Core.split(drawnFloat, channels);
            channels.forEach(scope::own);
            List<Mat> slopes = new ArrayList<>(3);
            List<Mat> offsets = new ArrayList<>(3);
            for (Mat p : channels) {
                Mat a = scope.newMat();
                Mat b = scope.newMat();
                fit(p, guideSmall, meanI, varI, window, a, b, scope);
                slopes.add(a);
                offsets.add(b);
            }
            return apply(slopes, offsets, photo, scope);
        }
    }

    /**
     * One channel's smoothed coefficients at the small size: a = cov(I, p) / (var I + eps),
     * b = (mean p - a mean I) in 0..255 levels, both averaged over the window.
     */
    private static void fit(Mat p, Mat guideSmall, Mat meanI, Mat varIeps, Size window, Mat a, Mat b, MatScope scope) {
        Mat meanP = scope.newMat();
        Imgproc.boxFilter(p, meanP, CvType.CV_32F, window);
        Mat cov = covariance(guideSmall, p, meanI, meanP, window, scope);
        Core.divide(cov, varIeps, cov);
        Core.multiply(cov, meanI, b);
        Core.subtract(meanP, b, b);
        Imgproc.boxFilter(cov, a, CvType.CV_32F, window);
        Imgproc.boxFilter(b, b, CvType.CV_32F, window);
        Core.multiply(b, new Scalar(255), b);
    }

    /** q = a I + b at {@code photo}'s size, with I the photo's grey level in 0..255; a new 8-bit Mat. */
    private static Mat apply(List<Mat> slopes, List<Mat> offsets, Mat photo, MatScope scope) {
        Mat a = scope.newMat();
        Mat b = scope.newMat();
        Core.merge(slopes, a);
        Core.merge(offsets, b);
        Mat aUp = scope.newMat();
        Mat bUp = scope.newMat();
        Imgproc.resize(a, aUp, photo.size(), 0, 0, Imgproc.INTER_LINEAR);
        Imgproc.resize(b, bUp, photo.size(), 0, 0, Imgproc.INTER_LINEAR);
        Mat grey = scope.newMat();
        Imgproc.cvtColor(photo, grey, Imgproc.COLOR_BGR2GRAY);
        Mat guide = scope.newMat();
        Imgproc.cvtColor(grey, guide, Imgproc.COLOR_GRAY2BGR);
        Core.multiply(aUp, guide, aUp, 1, CvType.CV_32F);
        Mat result = new Mat();
        Core.add(aUp, bUp, result, scope.newMat(), CvType.CV_8U);
        return result;
    }

    /** {@code mean(x * y) - mean(x) * mean(y)} over the window; a Mat of {@code scope}. */
    private static Mat covariance(Mat x, Mat y, Mat meanX, Mat meanY, Size window, MatScope scope) {
        Mat cov = scope.newMat();
        Core.multiply(x, y, cov);
        Imgproc.boxFilter(cov, cov, CvType.CV_32F, window);
        Mat meanProduct = scope.newMat();
        Core.multiply(meanX, meanY, meanProduct);
        Core.subtract(cov, meanProduct, cov);
        return cov;
    }

    private static Mat grey(Mat bgr) {
        try (MatScope scope = new MatScope()) {
            Mat grey = scope.newMat();
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            Mat floats = new Mat();
            grey.convertTo(floats, CvType.CV_32F, 1 / 255.0);
            return floats;
        }
    }
}
