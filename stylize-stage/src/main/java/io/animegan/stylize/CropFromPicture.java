package io.animegan.stylize;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

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
 */
public final class CropFromPicture {

    /** Warps at most this many times the crop's size before the area reduction (as face-stage aligns). */
    private static final int MAX_SUPERSAMPLING = 4;
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
     * The crop cut from {@code picture} (the output-size stylization) with the face's alignment.
     * Where the crop is smaller than the face in the picture, the warp goes to an integer multiple of
     * the crop's size and is reduced by area averaging, since a bilinear warp that skips pixels would
     * alias; edges are replicated where the crop reaches past the picture, as face-stage does.
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
        double cropPerPicture = Math.hypot(pictureToCrop[0], pictureToCrop[3]);
        int factor = Math.max(1, Math.min(MAX_SUPERSAMPLING, (int) Math.ceil(1 / cropPerPicture - 1e-9)));
        try (MatScope scope = new MatScope()) {
            double[] fine = new double[6];
            for (int i = 0; i < 6; i++) {
                fine[i] = pictureToCrop[i] * factor;
            }
            // Crop pixel c is the mean of fine pixels f c .. f c + f - 1, centred on f c + (f - 1) / 2.
            fine[2] += (factor - 1) / 2.0;
            fine[5] += (factor - 1) / 2.0;
            Mat matrix = scope.own(new Mat(2, 3, CvType.CV_64F));
            matrix.put(0, 0, fine);
            Mat large = scope.newMat();
            int largeSide = cropSide * factor;
            Imgproc.warpAffine(
                    picture,
                    large,
                    matrix,
                    new Size(largeSide, largeSide),
                    Imgproc.INTER_LINEAR,
                    Core.BORDER_REPLICATE);
            if (factor == 1) {
                return scope.detach(large);
            }
            Mat crop = scope.newMat();
            Imgproc.resize(large, crop, new Size(cropSide, cropSide), 0, 0, Imgproc.INTER_AREA);
            return scope.detach(crop);
        }
    }
}
