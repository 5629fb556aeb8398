package io.animegan.video;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** A frame's index drawn as 12 black/white blocks along its top edge, and read back. */
final class Barcode {

    static final int BITS = 12;

    private Barcode() {}

    static int block(Mat frame) {
        return Math.max(8, frame.cols() / (BITS + 2));
    }

    static void draw(Mat bgr, int index) {
        int b = block(bgr);
        for (int bit = 0; bit < BITS; bit++) {
            boolean on = ((index >> bit) & 1) != 0;
            Imgproc.rectangle(
                    bgr,
                    new Point(b + bit * b, 0),
                    new Point(b + bit * b + b - 1, b - 1),
                    on ? new Scalar(255, 255, 255) : new Scalar(0, 0, 0),
                    -1);
        }
    }

    static int read(Mat bgr) {
        int b = block(bgr);
        int value = 0;
        for (int bit = 0; bit < BITS; bit++) {
            Mat centre = bgr.submat(new Rect(b + bit * b + b / 4, b / 4, b / 2, b / 2));
            double mean = Core.mean(centre).val[1];
            centre.release();
            if (mean > 128) {
                value |= 1 << bit;
            }
        }
        return value;
    }
}
