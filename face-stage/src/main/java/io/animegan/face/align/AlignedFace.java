package io.animegan.face.align;

import org.opencv.core.Mat;

/**
 * A face warped onto the template, and how it got there. Owns its crop: close it.
 *
 * @param crop the square 8-bit BGR crop
 * @param affine 2x3 row-major, SOURCE pixels to CROP pixels; {@link SimilarityTransform#invert}
 *     gives crop to source, for pasting a processed crop back
 */
public record AlignedFace(Mat crop, double[] affine) implements AutoCloseable {

    @Override
    public void close() {
        crop.release();
    }
}
