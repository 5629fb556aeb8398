package io.animegan.blend;

import org.opencv.core.Mat;

/**
 * Everything blend needs to know about one face, as Mats and numbers: what face-stage and
 * stylize-stage stored for it.
 *
 * @param index the face's number in the event
 * @param photo the aligned crop, its label map and what blend derives from them alone
 * @param stylized the generator's output on that crop, same size
 * @param sourceToCrop 2x3 row-major alignment affine, source pixels to crop pixels
 * @param box x1, y1, x2, y2 in source pixels
 * @param landmarks the five landmarks in source pixels
 */
public record FaceLayers(
        int index, FacePhoto photo, Mat stylized, double[] sourceToCrop, float[] box, float[] landmarks)
        implements AutoCloseable {

    /**
     * With the photo side made here from {@code crop} (8-bit BGR) and {@code labels} (the parsing
     * label map at crop size, CV_8UC1, or null if the face was not parsed).
     */
    public FaceLayers(
            int index, Mat crop, Mat stylized, Mat labels, double[] sourceToCrop, float[] box, float[] landmarks) {
        this(index, FacePhoto.of(crop, labels), stylized, sourceToCrop, box, landmarks);
    }

    /** The original aligned crop, 8-bit BGR. */
    public Mat crop() {
        return photo.crop();
    }

    /** The parsing label map at crop size (CV_8UC1), or null if the face was not parsed. */
    public Mat labels() {
        return photo.labels();
    }

    public float width() {
        return box[2] - box[0];
    }

    public float area() {
        return (box[2] - box[0]) * (box[3] - box[1]);
    }

    /** Releases the photo side and the stylized crop, for the code that made them. */
    @Override
    public void close() {
        photo.close();
        stylized.release();
    }
}
