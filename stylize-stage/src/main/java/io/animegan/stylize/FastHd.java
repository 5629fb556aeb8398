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
        try (Scratch scratch = new Scratch()) {
            return upsample(drawn, photoSmall, photo, scratch);
        }
    }

    /**
     * As {@link #upsample(Mat, Mat, Mat)}, with its intermediate images kept in {@code scratch}
     * for the next call: a clip's frames all have one size, and allocating a few full-size float
     * images afresh for every frame costs several times the arithmetic. The fit is made at the
     * small size; at the output size there are only a grey conversion, the upsampling of the
     * coefficients as two three-channel images and one multiply-add, with the guide kept in 8 bits
     * (the offsets are scaled to 0..255 instead) and the sum saturated straight to 8 bits.
     */
    public static Mat upsample(Mat drawn, Mat photoSmall, Mat photo, Scratch scratch) {
        scratch.rewind();
        Mat guideSmall = grey(photoSmall, scratch);
        Size window = new Size(2 * RADIUS + 1, 2 * RADIUS + 1);
        Mat meanI = scratch.next();
        Imgproc.boxFilter(guideSmall, meanI, CvType.CV_32F, window);
        Mat varI = covariance(guideSmall, guideSmall, meanI, meanI, window, scratch);
        Core.add(varI, new Scalar(EPS), varI);

        Mat drawnFloat = scratch.next();
        drawn.convertTo(drawnFloat, CvType.CV_32FC3, 1 / 255.0);
        List<Mat> slopes = new ArrayList<>(3);
        List<Mat> offsets = new ArrayList<>(3);
        for (int channel = 0; channel < 3; channel++) {
            Mat p = scratch.next();
            Core.extractChannel(drawnFloat, p, channel);
            Mat a = scratch.next();
            Mat b = scratch.next();
            fit(p, guideSmall, meanI, varI, window, a, b, scratch);
            slopes.add(a);
            offsets.add(b);
        }
        return apply(slopes, offsets, photo, scratch);
    }

    /**
     * One channel's smoothed coefficients at the small size: a = cov(I, p) / (var I + eps),
     * b = (mean p - a mean I) in 0..255 levels, both averaged over the window.
     */
    private static void fit(Mat p, Mat guideSmall, Mat meanI, Mat varIeps, Size window, Mat a, Mat b, Scratch scratch) {
        Mat meanP = scratch.next();
        Imgproc.boxFilter(p, meanP, CvType.CV_32F, window);
        Mat cov = covariance(guideSmall, p, meanI, meanP, window, scratch);
        Core.divide(cov, varIeps, cov);
        Core.multiply(cov, meanI, b);
        Core.subtract(meanP, b, b);
        Imgproc.boxFilter(cov, a, CvType.CV_32F, window);
        Imgproc.boxFilter(b, b, CvType.CV_32F, window);
        Core.multiply(b, new Scalar(255), b);
    }

    /** q = a I + b at {@code photo}'s size, with I the photo's grey level in 0..255; a new 8-bit Mat. */
    private static Mat apply(List<Mat> slopes, List<Mat> offsets, Mat photo, Scratch scratch) {
        Mat a = scratch.next();
        Mat b = scratch.next();
        Core.merge(slopes, a);
        Core.merge(offsets, b);
        Mat aUp = scratch.next();
        Mat bUp = scratch.next();
        Imgproc.resize(a, aUp, photo.size(), 0, 0, Imgproc.INTER_LINEAR);
        Imgproc.resize(b, bUp, photo.size(), 0, 0, Imgproc.INTER_LINEAR);
        Mat grey = scratch.next();
        Imgproc.cvtColor(photo, grey, Imgproc.COLOR_BGR2GRAY);
        Mat guide = scratch.next();
        Imgproc.cvtColor(grey, guide, Imgproc.COLOR_GRAY2BGR);
        Core.multiply(aUp, guide, aUp, 1, CvType.CV_32F);
        Mat result = new Mat();
        Core.add(aUp, bUp, result, scratch.next(), CvType.CV_8U);
        return result;
    }

    /** {@code mean(x * y) - mean(x) * mean(y)} over the window; a Mat of {@code scratch}. */
    private static Mat covariance(Mat x, Mat y, Mat meanX, Mat meanY, Size window, Scratch scratch) {
        Mat cov = scratch.next();
        Core.multiply(x, y, cov);
        Imgproc.boxFilter(cov, cov, CvType.CV_32F, window);
        Mat meanProduct = scratch.next();
        Core.multiply(meanX, meanY, meanProduct);
        Core.subtract(cov, meanProduct, cov);
        return cov;
    }

    private static Mat grey(Mat bgr, Scratch scratch) {
        Mat grey = scratch.next();
        Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
        Mat floats = scratch.next();
        grey.convertTo(floats, CvType.CV_32F, 1 / 255.0);
        return floats;
    }

    /**
     * The intermediate images of {@link #upsample(Mat, Mat, Mat, Scratch)}, handed out in the
     * same order on every call so that each keeps its size and buffer from frame to frame. One
     * per thread; released by {@link #close}.
     */
    public static final class Scratch implements AutoCloseable {

        private final List<Mat> mats = new ArrayList<>();
        private int used;

        void rewind() {
            used = 0;
        }

        Mat next() {
            if (used == mats.size()) {
                mats.add(new Mat());
            }
            return mats.get(used++);
        }

        @Override
        public void close() {
            mats.forEach(Mat::release);
            mats.clear();
        }
    }
}
