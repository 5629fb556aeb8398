package io.animegan.face.align;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.face.FaceWarp;
import io.animegan.common.image.OpenCv;
import io.animegan.face.detect.DetectedFace;
import org.opencv.core.Mat;

/**
 * Warps each detected face onto a {@link FaceTemplate} (facexlib's "align_warp_face"): a
 * similarity fit of the five landmarks, then one bilinear warp of the source picture.
 *
 * <p>Where the crop reaches past the picture's edge, the edge pixels are repeated
 * (BORDER_REPLICATE). facexlib fills with a constant grey, which leaves a hard edge that the
 * anime generator outlines and the parser may call background or cloth; mirroring
 * (BORDER_REFLECT_101) avoids the edge but can copy an eye or an ear into the crop next to a face
 * cut by the border. Repeated pixels only smear colour, and that area is never pasted back, since
 * it lies outside the picture.
 *
 * <p>Stateless apart from its settings: safe to share between threads.
 */
public final class FaceAligner {

    /** Faces narrower than this (in source pixels) are too blurry to gain from a 512 crop. */
    public static final int DEFAULT_MIN_FACE_WIDTH = 32;

    static {
        OpenCv.load();
    }

    private final FaceTemplate template;
    private final int minFaceWidth;

    /** The FFHQ 512 template, faces from {@value #DEFAULT_MIN_FACE_WIDTH} px wide. */
    public FaceAligner() {
        this(FaceTemplate.FFHQ_512, DEFAULT_MIN_FACE_WIDTH);
    }

    public FaceAligner(FaceTemplate template, int minFaceWidth) {
        this.template = template;
        this.minFaceWidth = minFaceWidth;
    }

    /** Whether the face is worth aligning; {@link #align} itself accepts any face. */
    public boolean largeEnough(DetectedFace face) {
        return face.width() >= minFaceWidth;
    }

    /** The face on the full-size template, whatever its size in the output. */
    public AlignedFace align(Mat source, DetectedFace face) {
        return alignTo(source, face, template);
    }

    /**
     * The face on the template scaled to about the face's size in the output picture (see
     * {@link FaceTemplate#cropSizeFor}): a face 150 px wide in the output gains nothing from a crop
     * drawn at three times that, which costs nine times the generator, parser and blend time.
     *
     * @param outputScale output pixels per source pixel
     */
    public AlignedFace align(Mat source, DetectedFace face, double outputScale) {
        double[] toFullCrop = SimilarityTransform.estimate(face.landmarks(), template.points());
        double cropPerSource = Math.hypot(toFullCrop[0], toFullCrop[3]);
        int side = FaceTemplate.cropSizeFor(template.size() / cropPerSource * outputScale);
        return alignTo(source, face, side == template.size() ? template : template.scaledTo(side));
    }

    private static AlignedFace alignTo(Mat source, DetectedFace face, FaceTemplate target) {
        double[] affine = SimilarityTransform.estimate(face.landmarks(), target.points());
        return new AlignedFace(FaceWarp.warp(source, affine, target.size()), affine);
    }
}
