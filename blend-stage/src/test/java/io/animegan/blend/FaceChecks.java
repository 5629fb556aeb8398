package io.animegan.blend;

import io.animegan.face.detect.DetectedFace;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The identity and colour measures of the acceptance tests. */
final class FaceChecks {

    /** Acceptance 3: landmarks within this fraction of the face box's width. */
    static final double LANDMARK_TOLERANCE = 0.04;
    /** Acceptance 4: CIE76 distance between mean skin colours. */
    static final double MAX_DELTA_E = 12;

    private FaceChecks() {}

    /**
     * @param error per landmark, distance between the input's and the result's landmark divided by
     *     the input face box's width (both in output pixels); null if no face was found there
     */
    record Identity(double[] error, double iou) {

        boolean found() {
            return error != null;
        }

        double worst() {
            double worst = 0;
            for (double e : error) {
                worst = Math.max(worst, e);
            }
            return worst;
        }

        @Override
        public String toString() {
            if (!found()) {
                return "no face found in the result";
            }
            StringBuilder s = new StringBuilder(
                    String.format(Locale.ROOT, "box IoU %.2f, landmark error (%% of box width)", iou));
            for (double e : error) {
                s.append(String.format(Locale.ROOT, " %.1f", 100 * e));
            }
            return s.append(String.format(Locale.ROOT, ", worst %.1f%%", 100 * worst()))
                    .toString();
        }
    }

    /** The result's detection that overlaps the input face most, compared landmark by landmark. */
    static Identity identity(DetectedFace input, double scaleX, double scaleY, List<DetectedFace> inResult) {
        float[] box = {
            (float) (input.x1() * scaleX),
            (float) (input.y1() * scaleY),
            (float) (input.x2() * scaleX),
            (float) (input.y2() * scaleY)
        };
        DetectedFace best = null;
        double bestIou = 0.3;
        for (DetectedFace candidate : inResult) {
            double iou = iou(box, candidate);
            if (iou > bestIou) {
                bestIou = iou;
                best = candidate;
            }
        }
        if (best == null) {
            return new Identity(null, 0);
        }
        double width = box[2] - box[0];
        double[] error = new double[DetectedFace.LANDMARK_COUNT];
        for (int p = 0; p < error.length; p++) {
            double dx = best.landmarkX(p) - input.landmarkX(p) * scaleX;
            double dy = best.landmarkY(p) - input.landmarkY(p) * scaleY;
            error[p] = Math.hypot(dx, dy) / width;
        }
        return new Identity(error, bestIou);
    }

    private static double iou(float[] a, DetectedFace b) {
        double w = Math.min(a[2], b.x2()) - Math.max(a[0], b.x1());
        double h = Math.min(a[3], b.y2()) - Math.max(a[1], b.y1());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + b.area() - inter);
    }

    /**
     * Acceptance 4: CIE76 ΔE between the mean Lab colour of the face's skin in the result and in the
     * full-picture stylization. Skin = the parser's skin class warped into the picture, eroded by
     * 1 px, inside the paste mask.
     */
    static double skinDeltaE(Mat result, Mat stylized, FaceLayers face, BlendedFace outcome) {
        Mat skin = new Mat();
        Core.compare(face.labels(), new Scalar(1), skin, Core.CMP_EQ);
        Mat warped = new Mat();
        Imgproc.warpAffine(skin, warped, outcome.cropToPicture(), result.size(), Imgproc.INTER_NEAREST);
        Imgproc.erode(warped, warped, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3)));
        Mat pasted = outcome.pasted().maskInPicture(result.size());
        Core.bitwise_and(warped, pasted, warped);
        Mat resultLab = SkinTone.lab(result);
        Mat stylizedLab = SkinTone.lab(stylized);
        double[] a = Core.mean(resultLab, warped).val;
        double[] b = Core.mean(stylizedLab, warped).val;
        for (Mat m : new Mat[] {skin, warped, pasted, resultLab, stylizedLab}) {
            m.release();
        }
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }
}
