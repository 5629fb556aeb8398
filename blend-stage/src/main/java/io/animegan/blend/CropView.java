package io.animegan.blend;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The full-picture stylization seen through one face's alignment, in the crop's frame: what the
 * pasted face has to fit into. Used for the colour reference and for placing the seam.
 *
 * @param stylized the stylized picture warped into the crop (edge pixels repeated beyond the picture)
 * @param inside 0/255: crop pixels that come from inside the picture
 */
public record CropView(Mat stylized, Mat inside) implements AutoCloseable {

    static {
        OpenCv.load();
    }

    /** A new view, which the caller closes. */
    public static CropView of(Mat stylizedPicture, Mat cropToPicture, Size cropSize) {
        try (MatScope scope = new MatScope()) {
            Mat reference = warpIntoCrop(scope, stylizedPicture, cropToPicture, cropSize, Core.BORDER_REPLICATE);
            Mat ones = scope.own(new Mat(stylizedPicture.size(), CvType.CV_8UC1, new Scalar(255)));
            Mat inside = warpIntoCrop(scope, ones, cropToPicture, cropSize, Core.BORDER_CONSTANT);
            Imgproc.threshold(inside, inside, 254, 255, Imgproc.THRESH_BINARY);
            return new CropView(scope.detach(reference), scope.detach(inside));
        }
    }

    private static Mat warpIntoCrop(MatScope scope, Mat image, Mat cropToPicture, Size cropSize, int border) {
        Mat out = scope.newMat();
        Imgproc.warpAffine(
                image,
                out,
                cropToPicture,
                cropSize,
                Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP,
                border,
                Scalar.all(0));
        return out;
    }

    @Override
    public void close() {
        stylized.release();
        inside.release();
    }
}
