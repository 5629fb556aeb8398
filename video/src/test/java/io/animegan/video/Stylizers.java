package io.animegan.video;

import java.util.SplittableRandom;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** Stand-in stylizers for tests. */
final class Stylizers {

    private Stylizers() {}

    /**
     * Adds a random brightness in [-8, 8] to the whole frame, drawn from the frame's own content so
     * the same frame gets the same offset however the clip is cut into segments.
     */
    static FrameStylizer flicker() {
        return bgr -> {
            Scalar sum = Core.sumElems(bgr);
            long seed = Double.doubleToLongBits(sum.val[0] * 3 + sum.val[1] * 7 + sum.val[2] * 13);
            double offset = new SplittableRandom(seed).nextDouble(-8, 8);
            Mat out = new Mat();
            bgr.convertTo(out, -1, 1.0, offset);
            return out;
        };
    }

    static FrameStylizer identity() {
        return Mat::clone;
    }
}
