package io.animegan.blend;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.EnumMap;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Soft (0..1, CV_32F) masks of the {@link FacePart}s of an aligned crop, from its parsing label
 * map. The binary class masks are Gaussian-blurred so that region edges never show in the mix,
 * and scaled so that inside the face they add up to exactly 1.
 */
public final class RegionMasks implements AutoCloseable {

    /** Blur of small features (eyes, brows, lips) in 512-crop pixels: their size is 15..50 px. */
    static final double SMALL_SIGMA = 2.5;
    /** Blur of the large regions (skin, hair, glasses). */
    static final double LARGE_SIGMA = 5.0;

    static {
        OpenCv.load();
    }

    private final Map<FacePart, Mat> soft;

    private RegionMasks(Map<FacePart, Mat> soft) {
        this.soft = soft;
    }

    /** @param labels CV_8UC1 class indices at crop size */
    public static RegionMasks of(Mat labels) {
        double scale = FaceTemplate.scaled(1, labels.cols());
        Map<FacePart, Mat> soft = new EnumMap<>(FacePart.class);
        try (MatScope scope = new MatScope()) {
            Mat binary = scope.newMat();
            for (FacePart part : FacePart.values()) {
                binary(labels, part, binary);
                Mat mask = scope.newMat();
                binary.convertTo(mask, CvType.CV_32F, 1 / 255.0);
                double sigma = (part.small() ? SMALL_SIGMA : LARGE_SIGMA) * scale;
                Imgproc.GaussianBlur(mask, mask, new Size(0, 0), sigma);
                soft.put(part, mask);
            }
            normalise(soft, labels, LARGE_SIGMA * scale);
            soft.values().forEach(scope::detach);
            return new RegionMasks(soft);
        }
    }

    /**
     * Small features are blurred less than the skin around them, so next to an eye the soft masks
     * add up to more or less than 1. Scaling them to the blurred union of all parts makes them
     * share every pixel inside the face exactly, and fade out together towards the background.
     */
    private static void normalise(Map<FacePart, Mat> soft, Mat labels, double sigma) {
        try (MatScope scope = new MatScope()) {
            Mat union = scope.newMat();
            classes(labels, FacePart.allClasses(), union);
            union.convertTo(union, CvType.CV_32F, 1 / 255.0);
            Imgproc.GaussianBlur(union, union, new Size(0, 0), sigma);
            Mat sum = scope.own(Mat.zeros(labels.size(), CvType.CV_32F));
            for (Mat mask : soft.values()) {
                Core.add(sum, mask, sum);
            }
            Core.max(sum, new Scalar(1e-6), sum);
            Core.divide(union, sum, union);
            for (Mat mask : soft.values()) {
                Core.multiply(mask, union, mask);
            }
        }
    }

    /** 0/255 CV_8UC1 mask of the classes of {@code part}, into {@code out}, by one table lookup. */
    public static void binary(Mat labels, FacePart part, Mat out) {
        classes(labels, part.classes(), out);
    }

    /** 0/255 CV_8UC1 mask of the pixels labelled with any of {@code classes}, into {@code out}. */
    static void classes(Mat labels, int[] classes, Mat out) {
        try (MatScope scope = new MatScope()) {
            Mat table = scope.own(new Mat(1, 256, CvType.CV_8UC1, new Scalar(0)));
            for (int cls : classes) {
                table.put(0, cls, 255);
            }
            Core.LUT(labels, table, out);
        }
    }

    /** The soft mask of one part; owned by this object. */
    public Mat get(FacePart part) {
        return soft.get(part);
    }

    @Override
    public void close() {
        soft.values().forEach(Mat::release);
    }
}
