package io.animegan.tools.bench;

import io.animegan.common.image.ColourDifference;
import io.animegan.common.image.MatScope;
import io.animegan.video.WarpError;
import org.opencv.core.Mat;

/**
 * The flicker figures of one clip, frame after frame in output order: the warp error
 * ({@link WarpError}) of the steadied output against that of the frame-by-frame drawing of the
 * same frames, and the mean CIEDE2000 between the two, so that blurring cannot pass as steadiness.
 * Holds the previous frame of each (source, drawing, output), nothing more.
 */
final class FlickerMeter implements AutoCloseable {

    private final WarpError warp;
    private final int deltaEStride;
    private final MatScope mats = new MatScope();
    private final Mat previousSource = mats.newMat();
    private final Mat previousDrawn = mats.newMat();
    private final Mat previousOutput = mats.newMat();
    private int frames;
    private int pairs;
    private double drawnError;
    private double outputError;
    private int deltaEFrames;
    private double deltaE;

    /**
     * @param flowLongSide long side of the source flow the warp error is measured with
     * @param deltaEStride ΔE is measured on every this-many-th frame (it costs a colour conversion
     *     and a CIEDE2000 per pixel)
     */
    FlickerMeter(int flowLongSide, int deltaEStride) {
        this.warp = new WarpError(flowLongSide);
        this.deltaEStride = deltaEStride;
    }

    /** The next frame: its source, its frame-by-frame drawing and the steadied output. */
    void add(Mat source, Mat drawn, Mat output) {
        if (frames % deltaEStride == 0) {
            deltaE += ColourDifference.meanCiede2000(output, drawn);
            deltaEFrames++;
        }
        if (frames > 0) {
            warp.source(previousSource, source);
            drawnError += warp.error(previousDrawn, drawn);
            outputError += warp.error(previousOutput, output);
            pairs++;
        }
        source.copyTo(previousSource);
        drawn.copyTo(previousDrawn);
        output.copyTo(previousOutput);
        frames++;
    }

    /** Mean warp error of the frame-by-frame drawing (8-bit levels²). */
    double drawnWarpError() {
        return drawnError / Math.max(1, pairs);
    }

    /** Mean warp error of the steadied output (8-bit levels²). */
    double outputWarpError() {
        return outputError / Math.max(1, pairs);
    }

    /** Steadied over frame-by-frame warp error: below 1 is steadier. */
    double ratio() {
        return outputWarpError() / drawnWarpError();
    }

    /** Mean CIEDE2000 between the steadied output and the frame-by-frame drawing. */
    double meanDeltaE() {
        return deltaE / Math.max(1, deltaEFrames);
    }

    int deltaEFrames() {
        return deltaEFrames;
    }

    int pairs() {
        return pairs;
    }

    @Override
    public void close() {
        mats.close();
        warp.close();
    }
}
