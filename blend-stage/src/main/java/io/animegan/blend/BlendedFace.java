package io.animegan.blend;

import org.opencv.core.Mat;

/**
 * What the blend step did with one face: where its paste mask went, or why it was skipped. Owns
 * its Mats: close it.
 */
public record BlendedFace(int index, FacePaster.Pasted pasted, String skipped, Mat cropToPicture)
        implements AutoCloseable {

    public boolean isPasted() {
        return pasted != null;
    }

    @Override
    public void close() {
        if (pasted != null) {
            pasted.close();
        }
        cropToPicture.release();
    }
}
