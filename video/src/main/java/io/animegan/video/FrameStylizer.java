package io.animegan.video;

import org.opencv.core.Mat;

/** Draws one frame in a style: the generator call, behind an interface so tests can stand in for it. */
@FunctionalInterface
public interface FrameStylizer {

    /** {@code bgr} stylized, same size and type; a new Mat the caller owns (releases). */
    Mat stylize(Mat bgr);
}
