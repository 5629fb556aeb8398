package io.animegan.video;

import java.util.List;

/**
 * How a clip is drawn: output frames at a constant {@code frameRate}, output frame {@code j}
 * showing source frame {@code sourceFrame(j)}, cut into {@link Segment}s that cover every output
 * frame exactly once, in order.
 *
 * @param frameRate the output's constant frame rate
 * @param startPts presentation time of output frame 0 in the source's video time base (the
 *     source's first frame), so assembled video keeps its place against the copied audio
 * @param timeBase the source's video time base
 * @param sourceFrames source frame index for each output frame, non-decreasing
 */
public record SegmentPlan(
        Rational frameRate, long startPts, Rational timeBase, int[] sourceFrames, List<Segment> segments) {

    public SegmentPlan {
        segments = List.copyOf(segments);
    }

    public int frameCount() {
        return sourceFrames.length;
    }

    public int sourceFrame(int outputFrame) {
        return sourceFrames[outputFrame];
    }

    /** Time of output frame {@code j} from output frame 0, in seconds. */
    public double seconds(int outputFrame) {
        return outputFrame / frameRate.value();
    }

    public Segment segment(int index) {
        return segments.get(index);
    }

    /**
     * The clip's preview: its first {@code seconds} (all of it when shorter) as one segment of its
     * own, index 0, without warm-up frames. It is drawn apart from the segments and never assembled.
     */
    public Segment preview(double seconds) {
        int end = (int) Math.max(1, Math.min(frameCount(), Math.round(seconds * frameRate.value())));
        return new Segment(0, 0, end, 0);
    }

    @Override
    public String toString() {
        return frameCount() + " frames at " + frameRate + " fps in " + segments.size() + " segments";
    }
}
