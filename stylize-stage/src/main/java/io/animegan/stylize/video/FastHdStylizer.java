package io.animegan.stylize.video;

import io.animegan.stylize.FastHd;
import io.animegan.stylize.Generators;
import io.animegan.video.GuidedStylizer;
import org.opencv.core.Mat;

/**
 * A style's generator drawing a clip's frames: at {@code styleSide} (long side) and guided up to
 * the frame's size with {@link FastHd}, or at the frame's size when {@code styleSide} is null.
 */
public final class FastHdStylizer implements GuidedStylizer {

    private final Generators generators;
    private final String style;
    private final Integer styleSide;

    public FastHdStylizer(Generators generators, String style, Integer styleSide) {
        this.generators = generators;
        this.style = style;
        this.styleSide = styleSide;
    }

    @Override
    public Mat shrink(Mat bgr) {
        return styleSide == null ? null : FastHd.shrink(bgr, styleSide);
    }

    @Override
    public Mat draw(Mat small) {
        return generators.stylize(style, small);
    }

    @Override
    public Mat upsample(Mat drawn, Mat small, Mat bgr) {
        return FastHd.upsample(drawn, small, bgr);
    }
}
