package io.animegan.blend;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * The debug view: the result with each face's parsing drawn in colour over it, the outline of
 * where it was pasted, its detector box (green if enhanced, red if left to the full-picture pass)
 * and its five landmarks.
 */
public final class DebugOverlay {

    /** BGR colour per CelebAMask-HQ class index, the palette of the data set's own viewers. */
    private static final int[][] PALETTE = {
        {0, 0, 0}, {204, 0, 0}, {76, 153, 0}, {204, 204, 0}, {51, 51, 255}, {204, 0, 204}, {0, 255, 255},
        {255, 204, 204}, {102, 51, 0}, {255, 0, 0}, {102, 204, 0}, {255, 255, 0}, {0, 0, 153}, {0, 0, 204},
        {255, 51, 153}, {0, 204, 204}, {0, 51, 0}, {255, 153, 51}, {0, 204, 0}
    };
    /** Eyes, nose, mouth corners. */
    private static final Scalar[] LANDMARK_COLOURS = {
        new Scalar(255, 0, 0),
        new Scalar(0, 0, 255),
        new Scalar(0, 255, 0),
        new Scalar(255, 0, 255),
        new Scalar(0, 255, 255)
    };

    private static final double PARSING_OPACITY = 0.45;

    static {
        OpenCv.load();
    }

    private DebugOverlay() {}

    /** A new picture: {@code result} with the faces drawn over it. */
    public static Mat draw(
            Mat result, List<FaceLayers> faces, List<BlendedFace> outcomes, double scaleX, double scaleY) {
        Map<Integer, BlendedFace> byIndex = new HashMap<>();
        outcomes.forEach(outcome -> byIndex.put(outcome.index(), outcome));
        try (MatScope scope = new MatScope()) {
            Mat overlay = scope.own(result.clone());
            for (FaceLayers face : faces) {
                BlendedFace outcome = byIndex.get(face.index());
                boolean pasted = outcome != null && outcome.isPasted();
                if (pasted && face.labels() != null) {
                    drawParsing(overlay, face.labels(), outcome.cropToPicture());
                }
                if (pasted) {
                    drawOutline(overlay, outcome.pasted());
                }
                drawBox(overlay, face, scaleX, scaleY, pasted);
            }
            return scope.detach(overlay);
        }
    }

    private static void drawParsing(Mat overlay, Mat labels, Mat cropToPicture) {
        try (MatScope scope = new MatScope()) {
            Mat colours = scope.newMat();
            Mat labels3 = scope.newMat();
            Imgproc.cvtColor(labels, labels3, Imgproc.COLOR_GRAY2BGR);
            Core.LUT(labels3, palette(scope), colours);
            Mat warped = scope.newMat();
            Imgproc.warpAffine(
                    colours,
                    warped,
                    cropToPicture,
                    overlay.size(),
                    Imgproc.INTER_NEAREST,
                    Core.BORDER_CONSTANT,
                    Scalar.all(0));
            Mat where = scope.newMat();
            Imgproc.warpAffine(
                    labels,
                    where,
                    cropToPicture,
                    overlay.size(),
                    Imgproc.INTER_NEAREST,
                    Core.BORDER_CONSTANT,
                    Scalar.all(0));
            Imgproc.threshold(where, where, 0, 255, Imgproc.THRESH_BINARY);
            Mat mixed = scope.newMat();
            Core.addWeighted(overlay, 1 - PARSING_OPACITY, warped, PARSING_OPACITY, 0, mixed);
            mixed.copyTo(overlay, where);
        }
    }

    private static Mat palette(MatScope scope) {
        Mat lut = scope.own(new Mat(1, 256, CvType.CV_8UC3, Scalar.all(0)));
        for (int i = 0; i < PALETTE.length; i++) {
            lut.put(0, i, PALETTE[i][2], PALETTE[i][1], PALETTE[i][0]);
        }
        return lut;
    }

    private static void drawOutline(Mat overlay, FacePaster.Pasted pasted) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.own(pasted.maskInPicture(overlay.size()));
            List<MatOfPoint> contours = new ArrayList<>();
            Imgproc.findContours(mask, contours, scope.newMat(), Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_NONE);
            contours.forEach(scope::own);
            Imgproc.drawContours(overlay, contours, -1, new Scalar(0, 255, 255), 1);
        }
    }

    private static void drawBox(Mat overlay, FaceLayers face, double scaleX, double scaleY, boolean pasted) {
        float[] b = face.box();
        int thickness = Math.max(1, (int) Math.round(Math.max(overlay.cols(), overlay.rows()) / 600.0));
        Scalar colour = pasted ? new Scalar(0, 220, 0) : new Scalar(0, 0, 255);
        Point topLeft = new Point(b[0] * scaleX, b[1] * scaleY);
        Imgproc.rectangle(overlay, topLeft, new Point(b[2] * scaleX, b[3] * scaleY), colour, thickness);
        float[] l = face.landmarks();
        for (int p = 0; p < l.length / 2; p++) {
            Imgproc.circle(
                    overlay,
                    new Point(l[2 * p] * scaleX, l[2 * p + 1] * scaleY),
                    thickness + 1,
                    LANDMARK_COLOURS[p % 5],
                    -1);
        }
        Imgproc.putText(
                overlay,
                Integer.toString(face.index()),
                new Point(topLeft.x, topLeft.y - 4 * thickness),
                Imgproc.FONT_HERSHEY_SIMPLEX,
                0.5 * thickness,
                colour,
                thickness);
    }
}
