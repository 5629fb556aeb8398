package io.animegan.blend;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.events.FaceStyle;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * Per-region style strength: mixes the generator's output on the aligned crop with a cleaned-up
 * version of the original crop, region by region.
 *
 * <p>The generator alone smears small features (eyes lose their irises, glasses their frames)
 * and shifts skin tones; the photo alone is not anime. The photo side is therefore prepared per
 * region before mixing: features (eyes, brows, lips, glasses) are sharpened with an unsharp mask
 * so they come out crisp, and the rest is smoothed with an edge-preserving filter, which flattens
 * skin texture the way anime shading does while keeping the face's contours.
 */
public final class RegionStyler {

    /** Unsharp-mask blur in 512-crop pixels: about the width of an eyelash line. */
    static final double SHARPEN_SIGMA = 1.6;
    /** Edge-preserving smoothing of the photo (OpenCV's recursive domain-transform filter). */
    static final float SMOOTH_SIGMA_S = 40;

    static final float SMOOTH_SIGMA_R = 0.25f;

    static {
        OpenCv.load();
    }

    private RegionStyler() {}

    /**
     * @param stylized the generator's output on the crop, 8-bit BGR
     * @param photo the face's photo side, with its parsing
     * @return a new 8-bit BGR crop, owned by the caller
     */
    public static Mat style(Mat stylized, FacePhoto photo, FaceStyle style) {
        try (MatScope scope = new MatScope()) {
            Mat photoSide = scope.own(photoVersion(photo, style.getSharpen()));
            Mat weight = scope.own(stylizedWeight(photo.masks(), style));
            return Mix.of(stylized, photoSide, weight);
        }
    }

    /**
     * Where and how much of the generator's output to keep: 1 outside the face parts, the part's
     * strength inside it, {@code 1 - sum(mask * (1 - strength))} with soft masks in between.
     */
    static Mat stylizedWeight(RegionMasks masks, FaceStyle style) {
        try (MatScope scope = new MatScope()) {
            Mat weight = scope.own(new Mat(masks.get(FacePart.SKIN).size(), CvType.CV_32F, new Scalar(1)));
            for (FacePart part : FacePart.values()) {
                double keep = 1 - part.strength(style);
                if (keep > 0) {
                    Core.scaleAdd(masks.get(part), -keep, weight, weight);
                }
            }
            Core.max(weight, new Scalar(0), weight);
            return scope.detach(weight);
        }
    }

    /** Sharpened features over the edge-preservingly smoothed photo, joined with soft masks. A new Mat. */
    static Mat photoVersion(FacePhoto photo, double sharpen) {
        try (MatScope scope = new MatScope()) {
            Mat crop = photo.crop();
            Mat sharp = scope.own(
                    unsharp(crop, Math.max(0, Math.min(2, sharpen)), FaceTemplate.scaled(SHARPEN_SIGMA, crop.cols())));
            return Mix.of(sharp, photo.smooth(), photo.features());
        }
    }

    /** The photo with its skin texture flattened and its contours kept. A new Mat. */
    static Mat smooth(Mat crop) {
        Mat smooth = new Mat();
        Photo.edgePreservingFilter(crop, smooth, Photo.RECURS_FILTER, SMOOTH_SIGMA_S, SMOOTH_SIGMA_R);
        return smooth;
    }

    /** The sharpened parts' masks added up, at most 1 (CV_32F). A new Mat. */
    static Mat features(RegionMasks masks) {
        try (MatScope scope = new MatScope()) {
            Mat features = scope.own(Mat.zeros(masks.get(FacePart.SKIN).size(), CvType.CV_32F));
            for (FacePart part : FacePart.values()) {
                if (part.sharpened()) {
                    Core.add(features, masks.get(part), features);
                }
            }
            Core.min(features, new Scalar(1), features);
            return scope.detach(features);
        }
    }

    /** {@code crop + amount * (crop - blur(crop))}, saturated to 8 bits. */
    static Mat unsharp(Mat crop, double amount, double sigma) {
        try (MatScope scope = new MatScope()) {
            Mat blurred = scope.newMat();
            Imgproc.GaussianBlur(crop, blurred, new Size(0, 0), sigma);
            Mat sharp = scope.newMat();
            Core.addWeighted(crop, 1 + amount, blurred, -amount, 0, sharp);
            return scope.detach(sharp);
        }
    }
}
