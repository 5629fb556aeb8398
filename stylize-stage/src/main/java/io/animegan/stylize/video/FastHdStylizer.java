package io.animegan.stylize.video;

import io.animegan.stylize.FastHd;
import io.animegan.stylize.Generators;
import io.animegan.video.FrameStylizer;
import io.animegan.video.GuidedStylizer;
import io.animegan.video.SourceMotion;
import org.opencv.core.Mat;

/**
 * A style's generator drawing a clip's frames: at {@code styleSide} (long side) and guided up to
 * the frame's size with {@link FastHd}, or at the frame's size when {@code styleSide} is null.
 * Keeps Fast HD's intermediate images from frame to frame: one per segment (thread), closed after.
 */
public final class FastHdStylizer implements GuidedStylizer, AutoCloseable {

    private final Integer styleSide;
    private final FrameStylizer drawer;
    private final FastHd.Scratch scratch = new FastHd.Scratch();

    /** Draws with the style's generator. */
    public FastHdStylizer(Generators generators, String style, Integer styleSide) {
        this(styleSide, small -> generators.stylize(style, small));
    }

    /** Draws the small frames with {@code drawer}: the generator, or the generator with faces followed. */
    public FastHdStylizer(Integer styleSide, FrameStylizer drawer) {
        this.styleSide = styleSide;
        this.drawer = drawer;
    }

    @Override
    public Mat shrink(Mat bgr) {
        return styleSide == null ? null : FastHd.shrink(bgr, styleSide);
    }

    @Override
    public Mat draw(Mat small) {
        return drawer.stylize(small);
    }

    @Override
    public Mat draw(Mat small, SourceMotion motion) {
        return drawer.stylize(small, motion);
    }

    @Override
    public Mat upsample(Mat drawn, Mat small, Mat bgr) {
        return FastHd.upsample(drawn, small, bgr, scratch);
    }

    @Override
    public void close() {
        scratch.close();
    }
}
