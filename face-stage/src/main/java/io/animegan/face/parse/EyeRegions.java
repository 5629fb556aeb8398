package io.animegan.face.parse;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.face.align.SimilarityTransform;
import io.animegan.face.detect.DetectedFace;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Eye regions for faces whose eyes the parser hides behind glasses.
 *
 * <p>In CelebAMask-HQ the glasses mask is painted over the eyes, so BiSeNetV2 labels a whole pair
 * of glasses, lenses included, as {@code eye_g} and gives no {@code l_eye}/{@code r_eye} pixels.
 * The detector's eye landmarks are still good (they sit on the pupils), so each missing eye is
 * drawn as an ellipse around its landmark, mapped into the crop, sized from the distance between
 * the eyes and tilted along the line joining them, and kept only where the parser saw glasses:
 * the eye stays inside the lens and never spills onto frames' outside, brows or skin.
 *
 * <p>The ellipse's size was measured on the sample faces without glasses: the parser's eye
 * regions are 0.34..0.47 eye distances wide and 0.11..0.20 high.
 */
public final class EyeRegions {

    /** Half the eye's width, in eye distances. */
    static final double HALF_WIDTH = 0.20;
    /** Half the eye's height, in eye distances (open eyes; squinting ones are cut by the lens shape). */
    static final double HALF_HEIGHT = 0.085;

    static {
        OpenCv.load();
    }

    private EyeRegions() {}

    /**
     * Labels each eye that has fewer than {@code minPixels} parsed pixels but lies behind glasses,
     * changing {@code labels} in place.
     *
     * @param labels CV_8UC1 label map of the aligned crop
     * @param landmarks the detector's five landmarks in source pixels
     * @param sourceToCrop the 2x3 alignment affine
     * @return how many eyes were added (0, 1 or 2)
     */
    public static int addEyesBehindGlasses(Mat labels, float[] landmarks, double[] sourceToCrop, int minPixels) {
        int[] counts = FaceParser.pixelCounts(labels);
        if (counts[FaceRegion.EYE_G.index()] < minPixels) {
            return 0;
        }
        double[] imageLeft = SimilarityTransform.apply(
                sourceToCrop, landmarks[2 * DetectedFace.LEFT_EYE], landmarks[2 * DetectedFace.LEFT_EYE + 1]);
        double[] imageRight = SimilarityTransform.apply(
                sourceToCrop, landmarks[2 * DetectedFace.RIGHT_EYE], landmarks[2 * DetectedFace.RIGHT_EYE + 1]);
        double distance = Math.hypot(imageRight[0] - imageLeft[0], imageRight[1] - imageLeft[1]);
        double angle = Math.toDegrees(Math.atan2(imageRight[1] - imageLeft[1], imageRight[0] - imageLeft[0]));
        int added = 0;
        // The eye on the image's left is the person's right eye (README's class table).
        if (counts[FaceRegion.R_EYE.index()] < minPixels
                && addEye(labels, imageLeft, distance, angle, FaceRegion.R_EYE, minPixels)) {
            added++;
        }
        if (counts[FaceRegion.L_EYE.index()] < minPixels
                && addEye(labels, imageRight, distance, angle, FaceRegion.L_EYE, minPixels)) {
            added++;
        }
        return added;
    }

    /** The ellipse of one eye inside the glasses, written as {@code eye}; false if too little is left. */
    private static boolean addEye(
            Mat labels, double[] centre, double distance, double angle, FaceRegion eye, int minPixels) {
        Size axes = new Size(HALF_WIDTH * distance, HALF_HEIGHT * distance);
        Rect box = boxAround(centre, axes.width, labels);
        if (box.width <= 0 || box.height <= 0) {
            return false;
        }
        try (MatScope scope = new MatScope()) {
            Mat window = scope.own(labels.submat(box));
            Mat ellipse = scope.own(Mat.zeros(box.size(), CvType.CV_8UC1));
            Mat glasses = scope.newMat();
            Imgproc.ellipse(
                    ellipse, new Point(centre[0] - box.x, centre[1] - box.y), axes, angle, 0, 360, new Scalar(255), -1);
            Core.compare(window, new Scalar(FaceRegion.EYE_G.index()), glasses, Core.CMP_EQ);
            Core.bitwise_and(ellipse, glasses, ellipse);
            if (Core.countNonZero(ellipse) < minPixels) {
                return false;
            }
            window.setTo(new Scalar(eye.index()), ellipse);
            return true;
        }
    }

    /** A square window that holds the ellipse, clipped to the label map. */
    private static Rect boxAround(double[] centre, double radius, Mat labels) {
        int r = (int) Math.ceil(radius) + 2;
        int x1 = Math.max(0, (int) Math.floor(centre[0]) - r);
        int y1 = Math.max(0, (int) Math.floor(centre[1]) - r);
        int x2 = Math.min(labels.cols(), (int) Math.floor(centre[0]) + r + 1);
        int y2 = Math.min(labels.rows(), (int) Math.floor(centre[1]) + r + 1);
        return new Rect(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
    }
}
