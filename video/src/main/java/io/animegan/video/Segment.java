package io.animegan.video;

/**
 * One piece of a {@link SegmentPlan}, in output frame indices: frames {@code [start, end)} are
 * this segment's, frames {@code [warmUpStart, start)} are decoded and filtered only to set up the
 * temporal filter's state and are not output.
 */
public record Segment(int index, int start, int end, int warmUpStart) {

    public Segment {
        if (start < 0 || end <= start || warmUpStart < 0 || warmUpStart > start) {
            throw new IllegalArgumentException(
                    "bad segment " + index + ": [" + warmUpStart + ", " + start + ", " + end + ")");
        }
    }

    public int frameCount() {
        return end - start;
    }

    public int warmUpFrames() {
        return start - warmUpStart;
    }
}
