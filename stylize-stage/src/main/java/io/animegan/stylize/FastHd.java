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

    /** {@code drawn} (the drawing of {@code photoSmall}) at {@code photo}'s size with its detail; a new Mat. */
    public static Mat upsample(Mat drawn, Mat photoSmall, Mat photo) {
        try (MatScope scope = new MatScope()) {
            Mat guideSmall = scope.own(grey(photoSmall));
            Mat guide = scope.own(grey(photo));
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
            List<Mat> out = new ArrayList<>(3);
            for (Mat p : channels) {
                out.add(scope.own(guidedChannel(p, guideSmall, meanI, varI, guide, window, scope)));
            }
            Mat merged = scope.newMat();
            Core.merge(out, merged);
            Mat result = new Mat();
            merged.convertTo(result, CvType.CV_8UC3, 255);
            return result;
        }
    }

    /** One channel: a = cov(I, p) / (var I + eps), b = mean p - a mean I, both smoothed, upsampled and applied to the full guide. */
    private static Mat guidedChannel(
            Mat p, Mat guideSmall, Mat meanI, Mat varIeps, Mat guide, Size window, MatScope scope) {
        Mat meanP = scope.newMat();
        Imgproc.boxFilter(p, meanP, CvType.CV_32F, window);
        Mat a = covariance(guideSmall, p, meanI, meanP, window, scope);
        Core.divide(a, varIeps, a);
        Mat b = scope.newMat();
        Core.multiply(a, meanI, b);
        Core.subtract(meanP, b, b);
        Imgproc.boxFilter(a, a, CvType.CV_32F, window);
        Imgproc.boxFilter(b, b, CvType.CV_32F, window);
        Mat aUp = scope.newMat();
        Mat bUp = scope.newMat();
        Imgproc.resize(a, aUp, guide.size(), 0, 0, Imgproc.INTER_LINEAR);
        Imgproc.resize(b, bUp, guide.size(), 0, 0, Imgproc.INTER_LINEAR);
        Mat q = new Mat();
        Core.multiply(aUp, guide, q);
        Core.add(q, bUp, q);
        return q;
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
