package io.animegan.stylize.video;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Pastes a stylized face crop back into its stylized frame: the inverse of the alignment's affine
 * and a soft elliptic mask around the template's face.
 *
 * <p>Pictures are pasted by blend-stage's FacePaster with Poisson cloning; a clip is not: the
 * cloning's correction field is solved anew in every frame and would flicker, and it costs more
 * than the crop's generator. Here the crop and the frame come from the same generator on the same
 * pixels, so their colours already agree and a feathered mask hides the seam. (blend-stage's tests
 * depend on this module, so it cannot depend on blend-stage's paste.)
 */
final class CropPaste {

    /**
     * The mask's ellipse around the template's landmarks, in eye distances of the template: the
     * face from brow to chin and cheek to cheek, hair and ears left to the frame.
     */
    private static final double HALF_WIDTH = 1.2;

    private static final double HALF_HEIGHT = 1.55;
    /** Its centre lies this many eye distances above the landmarks' centroid (towards the brow). */
    private static final double CENTRE_RAISE = 0.2;
    /** Feathering, as a share of the crop's side. */
    private static final double FEATHER = 1 / 16.0;

    private CropPaste() {}

    /** The soft mask of a crop of {@code side} pixels on {@code template}: CV_32F, 0..1; a new Mat. */
    static Mat softMask(FaceTemplate template, int side) {
        float[] p = template.scaledTo(side).points();
        double eyes = Math.hypot(p[2] - p[0], p[3] - p[1]);
        double cx = 0;
        double cy = 0;
        for (int i = 0; i < p.length; i += 2) {
            cx += p[i] / FaceTemplate.LANDMARK_COUNT;
            cy += p[i + 1] / FaceTemplate.LANDMARK_COUNT;
        }
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.own(Mat.zeros(side, side, CvType.CV_32F));
            Imgproc.ellipse(
                    mask,
                    new Point(cx, cy - CENTRE_RAISE * eyes),
                    new Size(HALF_WIDTH * eyes, HALF_HEIGHT * eyes),
                    0,
                    0,
                    360,
                    new Scalar(1),
                    -1);
            int k = 2 * (int) Math.round(side * FEATHER) + 1;
            Imgproc.GaussianBlur(mask, mask, new Size(k, k), 0);
            return scope.detach(mask);
        }
    }

    /**
     * Blends {@code crop} into {@code frame} (in place) where {@code mask} says, through the inverse
     * of {@code affine} (frame pixels to crop pixels, 2x3 row-major). Only the window the crop covers
     * is touched.
     */
    static void paste(Mat frame, Mat crop, Mat mask, double[] affine) {
        try (MatScope scope = new MatScope()) {
            Mat toCrop = scope.own(new Mat(2, 3, CvType.CV_64F));
            toCrop.put(0, 0, affine);
            Mat toFrame = scope.newMat();
            Imgproc.invertAffineTransform(toCrop, toFrame);
            Rect window = window(toFrame, crop.size(), frame.size());
            if (window.width <= 0 || window.height <= 0) {
                return;
            }
            double[] m = new double[6];
            toFrame.get(0, 0, m);
            toFrame.put(0, 0, m[0], m[1], m[2] - window.x, m[3], m[4], m[5] - window.y);
            Mat face = scope.newMat();
            Mat weights = scope.newMat();
            Imgproc.warpAffine(crop, face, toFrame, window.size(), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            Imgproc.warpAffine(
                    mask, weights, toFrame, window.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, Scalar.all(0));
            Mat rest = scope.newMat();
            weights.convertTo(rest, CvType.CV_32F, -1.0, 1.0);
            Mat region = scope.own(frame.submat(window));
            Mat blended = scope.newMat();
            Imgproc.blendLinear(face, region, weights, rest, blended);
            blended.copyTo(region);
        }
    }

    /** The crop's corners mapped into the frame, their bounding box clipped to the frame. */
    static Rect window(Mat toFrame, Size crop, Size frame) {
        try (MatScope scope = new MatScope()) {
            MatOfPoint2f corners = scope.own(new MatOfPoint2f(
                    new Point(0, 0),
                    new Point(crop.width, 0),
                    new Point(0, crop.height),
                    new Point(crop.width, crop.height)));
            MatOfPoint2f mapped = scope.own(new MatOfPoint2f());
            Core.transform(corners, mapped, toFrame);
            Rect box = Imgproc.boundingRect(mapped);
            int x1 = Math.max(0, box.x);
            int y1 = Math.max(0, box.y);
            int x2 = Math.min((int) frame.width, box.x + box.width);
            int y2 = Math.min((int) frame.height, box.y + box.height);
            return new Rect(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
        }
    }
}
