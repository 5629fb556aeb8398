package io.animegan.video;

import io.animegan.common.image.MatScope;
import org.opencv.core.Mat;

/**
 * A stylizer whose generator draws a smaller copy of the frame, the drawing then being brought up
 * to the frame's size with the frame's own detail (Fast HD). {@link SegmentProcessor} steadies the
 * small drawing, before the upsampling: the temporal filter then works on a fraction of the
 * pixels, and the detail the upsampling takes from the source frame is as steady as the source.
 */
public interface GuidedStylizer extends FrameStylizer {

    /** The small copy of {@code bgr} the generator draws (a new Mat the caller owns), or null to draw {@code bgr} itself. */
    Mat shrink(Mat bgr);

    /** {@code small} stylized, same size and type; a new Mat the caller owns. */
    Mat draw(Mat small);

    /**
     * {@link #draw(Mat)} for a stylizer that follows the source from frame to frame (faces):
     * {@code motion} has moved on to {@code small}. Frames come in order, warm-up frames included.
     */
    default Mat draw(Mat small, SourceMotion motion) {
        return draw(small);
    }

    /** {@code drawn}, the drawing of {@code small}, at {@code bgr}'s size with its detail; a new Mat the caller owns. */
    Mat upsample(Mat drawn, Mat small, Mat bgr);

    @Override
    default Mat stylize(Mat bgr) {
        Mat small = shrink(bgr);
        if (small == null) {
            return draw(bgr);
        }
        try (MatScope scope = new MatScope()) {
            scope.own(small);
            return upsample(scope.own(draw(small)), small, bgr);
        }
    }
}
