package io.animegan.video;

import org.opencv.core.Mat;

/** Receives decoded frames in order. */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param outputFrame the frame's index in the plan's output
     * @param warmUp true for a warm-up frame before the segment's start (filter state only, not output)
     * @param bgr the upright frame, 8-bit BGR at the output size; owned by the decoder and valid only
     *     during this call (copy it to keep it)
     */
    void accept(int outputFrame, boolean warmUp, Mat bgr);
}
