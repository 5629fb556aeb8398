package io.animegan.video;

import org.opencv.core.Mat;

/** Draws one frame in a style: the generator call, behind an interface so tests can stand in for it. */
@FunctionalInterface
public interface FrameStylizer {

    /** {@code bgr} stylized, same size and type; a new Mat the caller owns (releases). */
    Mat stylize(Mat bgr);

    /**
     * {@link #stylize(Mat)} for a stylizer that follows the source from frame to frame (faces):
     * {@code motion} has moved on to {@code bgr}. Frames come in order, warm-up frames included.
     */
    default Mat stylize(Mat bgr, SourceMotion motion) {
        return stylize(bgr);
    }
}
