package io.animegan.blend;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.Gradient;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import java.util.Comparator;
import java.util.TreeSet;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Where the seam of a pasted face runs: a few pixels inside or outside the parsed outline of face
 * and hair, wherever the stylized picture is calmest.
 *
 * <p>Poisson blending matches colours across the seam but cannot hide that the two
 * stylizations draw edges slightly differently; a seam laid along an edge (the dark outline the
 * generator draws around heads, a hairline the parser missed) doubles or breaks it. As in
 * "drag-and-drop pasting" (Jia et al., 2006), which moves the boundary to where the colours vary
 * least, a few candidate boundaries are tried and the one along which the stylized picture has
 * the least gradient wins. Inward candidates win near-ties: the more of the enhanced face
 * is kept, the better. On small faces the inward ones cross eyes and mouth and lose
 * to the outward ones, which run through the background around the head.
 */
public final class SeamPlacement {

    /** Candidate distances from the outline in 512-crop pixels, inward positive. */
    static final double[] CROP_CANDIDATES = {40, 24, 12, -16, -32};
    /** Candidate distances from the outline in picture pixels, inward positive. */
    static final double[] PICTURE_CANDIDATES = {8, 4, -4, -8};
    /** Inward at most this far (512-crop pixels) so eyes, brows and mouth are always pasted. */
    static final int MAX_INWARD = 40;
    /** Outward at most this far (512-crop pixels): the crop's own background is not the point. */
    static final int MAX_OUTWARD = 64;
    /** Candidates within this factor of the calmest count as tied; the most inward of them wins. */
    static final double TIE = 0.95;
    /** Picture pixels on each side of a candidate seam over which its calm is measured. */
    static final double RING = 2;

    static {
        OpenCv.load();
    }

    private SeamPlacement() {}

    /**
     * @param face the parsed face region, 0/255 at crop size ({@link PasteMask#faceRegion})
     * @param view the stylized picture in the crop's frame
     * @param scale picture pixels per crop pixel
     * @return the offset for {@link PasteMask#withOffset}, crop pixels, inward positive
     */
    public static int offset(Mat face, CropView view, double scale) {
        // The ring a seam is judged on: +-2 picture pixels around it.
        int ring = (int) Math.max(1, Math.round(RING / scale));
        int[] offsets = candidates(FaceTemplate.scaled(1, face.cols()), scale);
        double[] means = new double[offsets.length];
        double calmest = Double.MAX_VALUE;
        try (MatScope scope = new MatScope()) {
            Mat gradient = scope.own(Gradient.magnitude(view.stylized()));
            for (int i = 0; i < offsets.length; i++) {
                means[i] = meanAlongContour(face, offsets[i], ring, gradient, view.inside());
                calmest = Math.min(calmest, means[i]);
            }
        }
        for (int i = 0; i < offsets.length; i++) {
            if (means[i] <= calmest / TIE) {
                return offsets[i];
            }
        }
        return offsets[0];
    }

    /**
     * Offsets in crop pixels, most inward first: the crop-relative ones follow the parser's
     * uncertainty, which grows with the face; the picture-relative ones clear the generator's
     * outline, which has the same width on every face.
     */
    static int[] candidates(double cropScale, double scale) {
        TreeSet<Integer> offsets = new TreeSet<>(Comparator.reverseOrder());
        for (double crop : CROP_CANDIDATES) {
            offsets.add(clamp(crop * cropScale, cropScale));
        }
        for (double picture : PICTURE_CANDIDATES) {
            offsets.add(clamp(picture / scale, cropScale));
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int clamp(double offset, double cropScale) {
        return (int) Math.round(Math.max(-MAX_OUTWARD * cropScale, Math.min(MAX_INWARD * cropScale, offset)));
    }

    private static double meanAlongContour(Mat face, int offset, int ring, Mat gradient, Mat inside) {
        try (MatScope scope = new MatScope()) {
            Mat mask = scope.own(PasteMask.withOffset(face, offset));
            Mat eroded = scope.newMat();
            Imgproc.erode(mask, eroded, scope.own(Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3))));
            Core.subtract(mask, eroded, mask);
            Imgproc.dilate(
                    mask,
                    mask,
                    scope.own(Imgproc.getStructuringElement(
                            Imgproc.MORPH_ELLIPSE, new Size(2 * ring + 1, 2 * ring + 1))));
            Core.bitwise_and(mask, inside, mask);
            return Core.countNonZero(mask) > 0 ? Core.mean(gradient, mask).val[0] : Double.MAX_VALUE / 2;
        }
    }
}
