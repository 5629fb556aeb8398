package io.animegan.stylize.video;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.testing.TestAssets;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A synthetic pan over the sample portrait, frame by frame in memory: the camera moves by a
 * known sub-pixel step per frame, so every point of the picture moves by exactly {@link #shiftX}
 * and {@link #shiftY}.
 */
final class PortraitPan implements AutoCloseable {

    static final String SAMPLE = "portrait-headphones.jpg";

    private final Mat photo = new Mat();
    private final Size frame;
    private final double stepX;
    private final double stepY;

    /** @param height frame height; the photo is scaled to 1.4 times it, room to pan */
    PortraitPan(int width, int height, double stepX, double stepY) {
        Mat full = ImageCodec.decode(TestAssets.sampleBytes(SAMPLE));
        double f = height * 1.4 / full.rows();
        Imgproc.resize(
                full,
                photo,
                new Size(Math.round(full.cols() * f), Math.round(full.rows() * f)),
                0,
                0,
                Imgproc.INTER_AREA);
        full.release();
        this.frame = new Size(width, height);
        this.stepX = stepX;
        this.stepY = stepY;
    }

    /** Frame {@code i}, a new Mat the caller releases. */
    Mat frame(int i) {
        Mat m = new Mat(2, 3, CvType.CV_64F);
        m.put(0, 0, 1, 0, shiftX(i) - 20, 0, 1, shiftY(i) - 20);
        Mat out = new Mat();
        Imgproc.warpAffine(photo, out, m, frame, Imgproc.INTER_LINEAR, Core.BORDER_REFLECT_101);
        m.release();
        return out;
    }

    /** How far a point of the picture has moved from frame 0 to frame {@code i}, in x. */
    double shiftX(int i) {
        return i * stepX;
    }

    double shiftY(int i) {
        return i * stepY;
    }

    @Override
    public void close() {
        photo.release();
    }
}
