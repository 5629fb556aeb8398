package io.animegan.common.face;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The alignment warp: cuts a face's square crop out of a picture with its 2x3 alignment affine.
 * face-stage cuts the source's crops with it, and blend-stage the stylized crops it takes from the
 * stylized picture ({@link CropFromPicture}), so both crops of a face are cut alike.
 */
public final class FaceWarp {

    /** At most this many source pixels per crop pixel are averaged (a 512 crop warped at 2048). */
    static final int MAX_SUPERSAMPLING = 4;

    static {
        OpenCv.load();
    }

    private FaceWarp() {}

    /**
     * The square crop {@code side} px that {@code affine} (2x3 row-major, source pixels to crop
     * pixels) cuts from {@code source}: one bilinear warp, or where the crop is much smaller than the
     * face in the source (a big face in a picture shrunk for the output), a warp at an integer
     * multiple of the crop's size and an area-averaging reduction, since a bilinear warp that skips
     * source pixels would alias (moiré on hair, jagged glasses frames). Edges are replicated where
     * the crop reaches past the source.
     *
     * @return a new 8-bit Mat the caller owns
     */
    public static Mat warp(Mat source, double[] affine, int side) {
        int factor = Math.min(MAX_SUPERSAMPLING, (int) Math.ceil(1 / Math.hypot(affine[0], affine[3]) - 1e-9));
        try (MatScope scope = new MatScope()) {
            Mat matrix = scope.own(new Mat(2, 3, CvType.CV_64F));
            Mat crop = scope.newMat();
            if (factor <= 1) {
                matrix.put(0, 0, affine);
                Imgproc.warpAffine(
                        source, crop, matrix, new Size(side, side), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
                return scope.detach(crop);
            }
            // Crop pixel c is the mean of large pixels f c .. f c + f - 1, centred on f c + (f - 1) / 2.
            double[] fine = new double[6];
            for (int i = 0; i < 6; i++) {
                fine[i] = affine[i] * factor;
            }
            fine[2] += (factor - 1) / 2.0;
            fine[5] += (factor - 1) / 2.0;
            matrix.put(0, 0, fine);
            Mat large = scope.newMat();
            int largeSide = side * factor;
            Imgproc.warpAffine(
                    source, large, matrix, new Size(largeSide, largeSide), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            Imgproc.resize(large, crop, new Size(side, side), 0, 0, Imgproc.INTER_AREA);
            return scope.detach(crop);
        }
    }
}
