package io.animegan.blend;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The part of an aligned crop that is pasted back: the face with hair and ears from the parsing
 * labels (background, cloth, neck and hat left out), its holes filled, its outline moved in or out
 * (see {@link SeamPlacement}) and kept clear of the crop's edge; or an ellipse around the canonical
 * face when there is no parsing.
 */
public final class PasteMask {

    static {
        OpenCv.load();
    }

    private static final int[] FACE_CLASSES = FaceRegion.classesOf(FaceRegion.PASTED);
    /**
     * Kept clear of the crop's edge, in 512-crop pixels: where hair runs off the crop, the seam
     * would otherwise follow the crop's straight edge, and beyond a picture's border the crop holds
     * only repeated edge pixels.
     */
    static final int EDGE = 12;

    private PasteMask() {}

    /** The parsed face with hair and ears, the largest such region, holes filled; 0/255, a new Mat. */
    public static Mat faceRegion(Mat labels) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.newMat();
            RegionMasks.classes(labels, FACE_CLASSES, mask);
            return largestBlobFilled(mask);
        }
    }

    /** A new mask: {@code face} eroded (offset > 0) or dilated (offset < 0), kept off the crop's edge. */
    public static Mat withOffset(Mat face, int offset) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.newMat();
            if (offset > 0) {
                Imgproc.erode(face, mask, scope.own(disk(offset)));
            } else if (offset < 0) {
                Imgproc.dilate(face, mask, scope.own(disk(-offset)));
            } else {
                face.copyTo(mask);
            }
            int edge = (int) Math.round(FaceTemplate.scaled(EDGE, face.cols()));
            Imgproc.rectangle(
                    mask, new Point(0, 0), new Point(mask.cols() - 1, mask.rows() - 1), Scalar.all(0), 2 * edge);
            return scope.detach(mask);
        }
    }

    /** An ellipse covering the face of the canonical 512 template, for crops without parsing; a new Mat. */
    public static Mat ellipse(int cropSize) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.own(Mat.zeros(cropSize, cropSize, CvType.CV_8UC1));
            double s = FaceTemplate.scaled(1, cropSize);
            Imgproc.ellipse(
                    mask, new Point(256 * s, 280 * s), new Size(150 * s, 200 * s), 0, 0, 360, new Scalar(255), -1);
            return scope.detach(mask);
        }
    }

    /** Soft version of a binary mask, 0..1 floats, for feathering the seam after cloning. */
    public static Mat feather(Mat binary, int radius) {
        try (MatScope scope = new MatScope()) {
            Mat soft = scope.newMat();
            binary.convertTo(soft, CvType.CV_32F, 1 / 255.0);
            int k = 2 * Math.max(1, radius) + 1;
            Imgproc.GaussianBlur(soft, soft, new Size(k, k), 0);
            return scope.detach(soft);
        }
    }

    private static Mat disk(int radius) {
        return Imgproc.getStructuringElement(Imgproc.MORPH_ELLIPSE, new Size(2 * radius + 1, 2 * radius + 1));
    }

    /** Keeps the largest region (the face; stray hair elsewhere is dropped) and fills its holes. */
    private static Mat largestBlobFilled(Mat mask) {
        try (MatScope scope = new MatScope()) {
            List<MatOfPoint> contours = new ArrayList<>();
            Imgproc.findContours(mask, contours, scope.newMat(), Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
            contours.forEach(scope::own);
            Mat filled = scope.own(Mat.zeros(mask.size(), CvType.CV_8UC1));
            int best = -1;
            double bestArea = 0;
            for (int i = 0; i < contours.size(); i++) {
                double area = Imgproc.contourArea(contours.get(i));
                if (area > bestArea) {
                    bestArea = area;
                    best = i;
                }
            }
            if (best >= 0) {
                Imgproc.drawContours(filled, contours, best, new Scalar(255), -1);
            }
            return scope.detach(filled);
        }
    }
}
