package io.animegan.blend;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * Pastes a processed face crop back into the picture: inverse-affine warp, Poisson blending
 * (OpenCV seamlessClone) inside the mask, then a feathered mix at the seam.
 *
 * <p>All the work happens in a window around the face, padded by replicating edge pixels where
 * the window leaves the picture: seamlessClone needs its mask strictly inside the destination,
 * which a face touching or crossing the border would otherwise break.
 *
 * <p>Faces larger in the picture than the crop are enlarged by the warp and come out softer than
 * the stylized picture around them. For those, the fine detail the crop cannot carry is taken from
 * the full-picture stylization of the same face (its high frequencies above the enlarged crop's
 * resolution), so the face has the same grain as its neighbourhood and no soft halo.
 */
public final class FacePaster {

    static {
        OpenCv.load();
    }

    /** Room around the face for the Poisson solver's boundary. */
    private static final int MARGIN = 16;
    /** Faces enlarged by more than this get the picture's fine detail added. */
    static final double DETAIL_FROM_SCALE = 1.25;

    static final int MAX_FEATHER = 16;
    /** Windows larger than this (px) are Poisson-blended on a reduced copy. */
    static final int MAX_CLONE_SIDE = 1024;

    private final int cloneMode;

    public FacePaster(int cloneMode) {
        this.cloneMode = cloneMode;
    }

    public static FacePaster normalClone() {
        return new FacePaster(Photo.NORMAL_CLONE);
    }

    /**
     * Where a face went: the window in picture pixels (it may reach past the picture) and the binary
     * paste mask in window pixels, which this record owns: close it.
     */
    public record Pasted(Rect window, Mat mask) implements AutoCloseable {

        /** The mask in picture coordinates (zero outside the window), a new Mat the caller owns. */
        public Mat maskInPicture(Size pictureSize) {
            try (MatScope scope = new MatScope()) {
                Mat full = scope.own(Mat.zeros(pictureSize, CvType.CV_8UC1));
                Rect inside = intersect(window, new Rect(0, 0, (int) pictureSize.width, (int) pictureSize.height));
                if (inside.width > 0 && inside.height > 0) {
                    scope.own(mask.submat(
                                    new Rect(inside.x - window.x, inside.y - window.y, inside.width, inside.height)))
                            .copyTo(scope.own(full.submat(inside)));
                }
                return scope.detach(full);
            }
        }

        @Override
        public void close() {
            mask.release();
        }
    }

    /** {@link #paste(Mat, Mat, Mat, Mat, Mat)} without fine detail for enlarged faces. */
    public Pasted paste(Mat picture, Mat crop, Mat cropMask, Mat cropToPicture) {
        return paste(picture, crop, cropMask, cropToPicture, null);
    }

    /**
     * @param picture the stylized picture, changed in place
     * @param crop the processed aligned face, 8-bit BGR
     * @param cropMask binary 0/255 mask at crop size: what to paste
     * @param cropToPicture 2x3 affine from crop pixels to picture pixels
     * @param detail where fine detail for enlarged faces comes from (the full-picture stylization,
     *     same size as {@code picture}), or null
     * @return null if the face lies wholly outside the picture
     */
    public Pasted paste(Mat picture, Mat crop, Mat cropMask, Mat cropToPicture, Mat detail) {
        Rect window = windowAround(Imgproc.boundingRect(cropMask), cropToPicture);
        Rect inside = intersect(window, new Rect(0, 0, picture.cols(), picture.rows()));
        if (inside.width <= 0 || inside.height <= 0) {
            return null;
        }
        try (MatScope scope = new MatScope()) {
            Mat toWindow = scope.own(shifted(cropToPicture, -window.x, -window.y));
            Mat face = scope.own(warp(crop, toWindow, window.size()));
            Mat mask = scope.own(warp(cropMask, toWindow, window.size()));
            Imgproc.threshold(mask, mask, 127, 255, Imgproc.THRESH_BINARY);
            clearBorder(mask);
            if (Core.countNonZero(mask) == 0) {
                return null;
            }
            Mat background = scope.own(paddedWindow(picture, window, inside));
            double scale = CropToPicture.scale(cropToPicture);
            if (detail != null && scale > DETAIL_FROM_SCALE) {
                addFineDetail(face, scope.own(paddedWindow(detail, window, inside)), scale);
            }
            Mat cloned = scope.own(poissonClone(face, background, mask));

            Mat weights = scope.own(PasteMask.feather(mask, featherRadius(scale, crop.cols())));
            Mat blended = scope.own(Mix.of(cloned, background, weights));

            Rect back = new Rect(inside.x - window.x, inside.y - window.y, inside.width, inside.height);
            scope.own(blended.submat(back)).copyTo(scope.own(picture.submat(inside)));
            return new Pasted(window, scope.detach(mask));
        }
    }

    /**
     * seamlessClone of the face into the background. Poisson blending adds to the face a smooth
     * correction field (the membrane that takes the colour mismatch along the seam to zero inside),
     * so on big windows, where the solve takes many seconds (README, "Faces"), the
     * correction is computed on a reduced copy and enlarged, which a smooth field survives.
     */
    private Mat poissonClone(Mat face, Mat background, Mat mask) {
        double shrink = (double) MAX_CLONE_SIDE / Math.max(mask.cols(), mask.rows());
        if (shrink >= 1) {
            return seamlessClone(face, background, mask);
        }
        try (MatScope scope = new MatScope()) {
            Size small = new Size(Math.round(mask.cols() * shrink), Math.round(mask.rows() * shrink));
            Mat faceSmall = resized(scope, face, small);
            Mat backgroundSmall = resized(scope, background, small);
            Mat maskSmall = resized(scope, mask, small);
            Imgproc.threshold(maskSmall, maskSmall, 127, 255, Imgproc.THRESH_BINARY);
            clearBorder(maskSmall);
            if (Core.countNonZero(maskSmall) == 0) {
                return seamlessClone(face, background, mask);
            }
            Mat clonedSmall = scope.own(seamlessClone(faceSmall, backgroundSmall, maskSmall));
            Mat correction = scope.newMat();
            Core.subtract(clonedSmall, faceSmall, correction, scope.newMat(), CvType.CV_16SC3);
            Mat correctionFull = scope.newMat();
            Imgproc.resize(correction, correctionFull, mask.size(), 0, 0, Imgproc.INTER_LINEAR);
            Mat corrected = scope.newMat();
            Core.add(face, correctionFull, corrected, scope.newMat(), CvType.CV_8UC3);
            Mat cloned = scope.own(background.clone());
            corrected.copyTo(cloned, mask);
            return scope.detach(cloned);
        }
    }

    private Mat seamlessClone(Mat face, Mat background, Mat mask) {
        try (MatScope scope = new MatScope()) {
            Mat cloned = scope.newMat();
            Rect maskBox = Imgproc.boundingRect(mask);
            // seamlessClone centres the mask's bounding box on this point; integer halves keep it in place.
            Point centre = new Point(maskBox.x + maskBox.width / 2, maskBox.y + maskBox.height / 2);
            Photo.seamlessClone(face, background, mask, centre, cloned, cloneMode);
            return scope.detach(cloned);
        }
    }

    private static Mat resized(MatScope scope, Mat image, Size size) {
        Mat out = scope.newMat();
        Imgproc.resize(image, out, size, 0, 0, Imgproc.INTER_AREA);
        return out;
    }

    /**
     * The mask's bounding box in the crop, mapped into the picture, plus a margin: the work (and the
     * Poisson solve, which grows with the window's area) stays on the face, not on the crop's corners.
     */
    static Rect windowAround(Rect maskBox, Mat cropToPicture) {
        double x2 = maskBox.x + maskBox.width;
        double y2 = maskBox.y + maskBox.height;
        try (MatScope scope = new MatScope()) {
            MatOfPoint2f corners = scope.own(new MatOfPoint2f(
                    new Point(maskBox.x, maskBox.y),
                    new Point(x2, maskBox.y),
                    new Point(maskBox.x, y2),
                    new Point(x2, y2)));
            MatOfPoint2f mapped = scope.own(new MatOfPoint2f());
            Core.transform(corners, mapped, cropToPicture);
            Rect box = Imgproc.boundingRect(mapped);
            return new Rect(box.x - MARGIN, box.y - MARGIN, box.width + 2 * MARGIN, box.height + 2 * MARGIN);
        }
    }

    /**
     * A big shrink with a bilinear warp would alias (a 512 crop onto a 60-pixel face), so the crop is
     * first reduced with area averaging to about the target scale, then warped.
     */
    private static Mat warp(Mat image, Mat affine, Size size) {
        double scale = CropToPicture.scale(affine);
        try (MatScope scope = new MatScope()) {
            Mat source = image;
            Mat transform = affine;
            if (scale < 0.5) {
                double factor = Math.min(1.0, scale * 1.5);
                source = scope.newMat();
                Imgproc.resize(image, source, new Size(), factor, factor, Imgproc.INTER_AREA);
                transform = scope.own(scaledInput(affine, 1.0 / factor));
            }
            Mat out = scope.newMat();
            Imgproc.warpAffine(source, out, transform, size, Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, Scalar.all(0));
            return scope.detach(out);
        }
    }

    /**
     * {@code face += picture - blur(picture)}: the enlarged crop holds nothing finer than about
     * {@code scale} picture pixels, the stylized picture does; a Gaussian of half that width splits
     * the two bands.
     */
    private static void addFineDetail(Mat face, Mat picture, double scale) {
        try (MatScope scope = new MatScope()) {
            Mat faceF = scope.newMat();
            Mat pictureF = scope.newMat();
            Mat coarse = scope.newMat();
            face.convertTo(faceF, CvType.CV_32FC3);
            picture.convertTo(pictureF, CvType.CV_32FC3);
            Imgproc.GaussianBlur(pictureF, coarse, new Size(0, 0), 0.5 * scale);
            Core.subtract(pictureF, coarse, pictureF);
            Core.add(faceF, pictureF, faceF);
            faceF.convertTo(face, CvType.CV_8UC3);
        }
    }

    private static Mat scaledInput(Mat affine, double f) {
        double[] m = new double[6];
        affine.get(0, 0, m);
        return affine(m[0] * f, m[1] * f, m[2], m[3] * f, m[4] * f, m[5]);
    }

    private static Mat shifted(Mat affine, double dx, double dy) {
        double[] m = new double[6];
        affine.get(0, 0, m);
        return affine(m[0], m[1], m[2] + dx, m[3], m[4], m[5] + dy);
    }

    /** A new 2x3 CV_64F affine, which the caller owns. */
    private static Mat affine(double... values) {
        try (MatScope scope = new MatScope()) {
            Mat out = scope.own(new Mat(2, 3, CvType.CV_64F));
            out.put(0, 0, values);
            return scope.detach(out);
        }
    }

    /** A new Mat: the window's part of the picture, edge pixels repeated where it reaches past it. */
    private static Mat paddedWindow(Mat picture, Rect window, Rect inside) {
        try (MatScope scope = new MatScope()) {
            Mat part = scope.own(picture.submat(inside));
            int top = inside.y - window.y;
            int left = inside.x - window.x;
            int bottom = window.y + window.height - (inside.y + inside.height);
            int right = window.x + window.width - (inside.x + inside.width);
            Mat padded = scope.newMat();
            Core.copyMakeBorder(part, padded, top, bottom, left, right, Core.BORDER_REPLICATE);
            return scope.detach(padded);
        }
    }

    /**
     * Feathering over about 1/40 of the crop: 3 px on a 120-px face, 13 px on a 512-px one, at most
     * {@value #MAX_FEATHER} px. Poisson blending has already matched the colours at the seam; the
     * feather only softens what is left, and a wider blur on a huge face costs seconds for nothing.
     */
    private static int featherRadius(double scale, int cropSize) {
        return (int) Math.max(2, Math.min(MAX_FEATHER, Math.round(scale * cropSize / 40)));
    }

    /**
     * seamlessClone needs a boundary of destination pixels all around the mask. Where the face
     * crosses the picture's edge the mask goes on into the replicated padding, so the solver's
     * boundary lies outside the picture and the face is not pulled towards the edge pixels.
     */
    private static void clearBorder(Mat mask) {
        Imgproc.rectangle(mask, new Point(0, 0), new Point(mask.cols() - 1, mask.rows() - 1), Scalar.all(0), 4);
    }

    static Rect intersect(Rect a, Rect b) {
        int x1 = Math.max(a.x, b.x);
        int y1 = Math.max(a.y, b.y);
        int x2 = Math.min(a.x + a.width, b.x + b.width);
        int y2 = Math.min(a.y + a.height, b.y + b.height);
        return new Rect(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
    }
}
