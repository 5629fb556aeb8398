package io.animegan.video;

import org.opencv.core.Mat;
import org.opencv.core.Size;

/**
 * The motion of the source from one frame to the next, shared by everything that follows it in a
 * segment (the {@link TemporalFilter}, a stylizer that follows faces): each frame's small grey
 * copy, whether it starts a new scene, and the flows between it and the previous frame, each
 * computed once and only when asked for.
 *
 * <p>Not thread-safe; one per segment.
 */
public final class SourceMotion implements AutoCloseable {

    private final OpticalFlow flow;
    private final SceneCutDetector cuts = new SceneCutDetector();
    private final TrackedMats mats = new TrackedMats();
    private Mat grey = mats.newMat();
    private Mat greyPrevious = mats.newMat();
    private final Mat backward = mats.newMat();
    private final Mat forward = mats.newMat();
    private final Mat checkForward = mats.newMat();
    private Size frameSize;
    private boolean primed;
    private boolean cut;
    private boolean backwardDone;
    private boolean forwardDone;
    private boolean checkForwardDone;

    /**
     * @param preset DIS preset
     * @param flowLongSide long side of the frames the flow is computed on
     */
    public SourceMotion(int preset, int flowLongSide) {
        this.flow = new OpticalFlow(preset, flowLongSide);
    }

    /** Moves on to the next source frame (8-bit BGR, full size). */
    public void next(Mat source) {
        Mat swap = greyPrevious;
        greyPrevious = grey;
        grey = swap;
        flow.small(source, grey);
        frameSize = source.size();
        cut = !primed || cuts.isCut(greyPrevious, grey);
        primed = true;
        backwardDone = false;
        forwardDone = false;
        checkForwardDone = false;
    }

    /** Whether the current frame is the first or starts a new scene: nothing carries over to it. */
    public boolean cut() {
        return cut;
    }

    /** The flow from the current to the previous small grey frame (only when not {@link #cut()}). */
    public Mat backward() {
        requireMotion();
        if (!backwardDone) {
            flow.flow(grey, greyPrevious, backward);
            backwardDone = true;
        }
        return backward;
    }

    /** The flow from the previous to the current small grey frame (only when not {@link #cut()}). */
    public Mat forward() {
        requireMotion();
        if (!forwardDone) {
            flow.flow(greyPrevious, grey, forward);
            forwardDone = true;
        }
        return forward;
    }

    /**
     * A flow from the previous to the current small grey frame to check {@link #backward()}
     * against (only when not {@link #cut()}): {@link #forward()} when something has asked for it,
     * else a coarser one ({@link OpticalFlow#coarseFlow}) at about a third of its cost.
     */
    public Mat checkForward() {
        requireMotion();
        if (forwardDone) {
            return forward;
        }
        if (!checkForwardDone) {
            flow.coarseFlow(greyPrevious, grey, checkForward);
            checkForwardDone = true;
        }
        return checkForward;
    }

    /**
     * Moves points of the previous frame to where the forward flow takes them in the current one,
     * in place ({@code x0, y0, x1, y1, ...} in full-size frame pixels); the flow is read at the
     * nearest small-frame pixel, clamped to the frame.
     */
    public void follow(float[] points) {
        Mat f = forward();
        double sx = f.cols() / frameSize.width;
        double sy = f.rows() / frameSize.height;
        float[] vector = new float[2];
        for (int i = 0; i + 1 < points.length; i += 2) {
            int col = clamp((int) Math.round(points[i] * sx), f.cols());
            int row = clamp((int) Math.round(points[i + 1] * sy), f.rows());
            f.get(row, col, vector);
            points[i] += (float) (vector[0] / sx);
            points[i + 1] += (float) (vector[1] / sy);
        }
    }

    /** The small grey current and previous frames. */
    public Mat grey() {
        return grey;
    }

    public Mat greyPrevious() {
        return greyPrevious;
    }

    public OpticalFlow flow() {
        return flow;
    }

    public SceneCutDetector cuts() {
        return cuts;
    }

    /** Forgets the past: the next frame counts as a cut. */
    public void reset() {
        primed = false;
    }

    private void requireMotion() {
        if (cut) {
            throw new IllegalStateException("no motion into the first frame of a scene");
        }
    }

    private static int clamp(int value, int size) {
        return Math.max(0, Math.min(size - 1, value));
    }

    @Override
    public void close() {
        mats.close();
        flow.close();
        cuts.close();
    }
}
