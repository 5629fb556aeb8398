package io.animegan.common.face;

import io.animegan.common.image.OpenCv;
import org.opencv.core.Mat;

/**
 * A face's stylized crop taken from the picture's stylization instead of a generator run of its own,
 * where the picture holds the face at nearly the crop's resolution.
 *
 * <p>face-stage aligns each face to a crop of about its size in the output picture, rounded up to
 * {@link FaceTemplate#CROP_MULTIPLE} and at least {@link FaceTemplate#MIN_CROP_SIZE} (for the
 * parser), and blend-stage pastes the crop back at the face's output resolution. Where the crop
 * enlarges the face by at most {@link #MAX_ENLARGEMENT}, a generator run on it draws what the
 * picture's run drew at almost the same scale, and the paste shrinks away the difference; what
 * remains is the run's own normalisation of the colours, which blend-stage matches back to the
 * picture's skin tone anyway. A small face enlarged further has its eyes and lips drawn by the
 * generator at a scale it renders better than the picture's, so it keeps its own run.
 *
 * <p>stylize-stage decides ({@link #covers}) and marks such a face as drawn from the picture;
 * blend-stage cuts the crop ({@link #warp}) from the stylized picture it decodes anyway, so the
 * crop is never encoded, stored or fetched.
 */
public final class CropFromPicture {

    /**
     * Crops enlarging the face by more than this are drawn by the generator: past the clamp to
     * {@link FaceTemplate#MIN_CROP_SIZE} and the rounding, the enlargement is the crop's own detail.
     */
    static final double MAX_ENLARGEMENT = 1.5;

    static {
        OpenCv.load();
    }

    private CropFromPicture() {}

    /**
     * Whether the crop enlarges the face's output resolution by at most {@link #MAX_ENLARGEMENT}
     * (never for a transform that is not 2x3).
     *
     * @param sourceToCrop 2x3 row-major alignment affine, source pixels to crop pixels
     * @param scaleX output pixels per source pixel, horizontally
     */
    public static boolean covers(double[] sourceToCrop, int cropSide, double scaleX, double scaleY) {
        // A forged event's transform of another length goes to the generator, which does not read it.
        if (sourceToCrop.length != 6) {
            return false;
        }
        double cropPerSource = Math.hypot(sourceToCrop[0], sourceToCrop[3]);
        double sideInOutput = cropSide / cropPerSource * Math.sqrt(scaleX * scaleY);
        return cropSide <= sideInOutput * MAX_ENLARGEMENT;
    }

    /**
     * The crop cut from {@code picture} (the output-size stylization) with the face's alignment, the
     * way face-stage cut the source's crop ({@link FaceWarp#warp}).
     *
     * @return a new 8-bit BGR Mat, {@code cropSide} square, which the caller owns
     */
    public static Mat warp(Mat picture, double[] sourceToCrop, int cropSide, double scaleX, double scaleY) {
        double[] pictureToCrop = {
            sourceToCrop[0] / scaleX,
            sourceToCrop[1] / scaleY,
            sourceToCrop[2],
            sourceToCrop[3] / scaleX,
            sourceToCrop[4] / scaleY,
            sourceToCrop[5]
        };
        return FaceWarp.warp(picture, pictureToCrop, cropSide);
    }
}
