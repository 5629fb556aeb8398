package io.animegan.video;

import java.util.Arrays;

/**
 * The presentation timestamps of every frame of a clip's video stream, in presentation order, in
 * the stream's time base: frame {@code i} of the clip is the frame shown at {@code pts(i)}. This is
 * what makes frame indices exact under variable frame rates and B-frames.
 */
public final class FrameTimeline {

    private final long[] pts;
    private final Rational timeBase;
    private final long lastDuration;

    /** @param pts presentation timestamps (any order, duplicates dropped) */
    public FrameTimeline(long[] pts, Rational timeBase, long lastDuration) {
        long[] sorted = pts.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        this.pts = Arrays.copyOf(sorted, n);
        this.timeBase = timeBase;
        this.lastDuration = Math.max(lastDuration, 0);
    }

    public int frameCount() {
        return pts.length;
    }

    public Rational timeBase() {
        return timeBase;
    }

    public long pts(int frame) {
        return pts[frame];
    }

    /** Time of frame {@code frame} from the first frame, in seconds. */
    public double seconds(int frame) {
        return (pts[frame] - pts[0]) * timeBase.value();
    }

    /** The frame shown at {@code pts}: exact match, or -1. */
    public int indexOf(long timestamp) {
        int i = Arrays.binarySearch(pts, timestamp);
        return i >= 0 ? i : -1;
    }

    /** Index of the last frame whose time from the start is at most {@code seconds}, at least 0. */
    public int frameAt(double seconds) {
        long target = pts[0] + (long) Math.floor(seconds / timeBase.value() + 1e-6);
        int i = Arrays.binarySearch(pts, target);
        return Math.max(0, i >= 0 ? i : -i - 2);
    }

    /** Length of the stream in seconds: first frame's start to the last frame's end. */
    public double durationSeconds() {
        if (pts.length == 0) {
            return 0;
        }
        return (pts[pts.length - 1] - pts[0] + lastFrameDuration()) * timeBase.value();
    }

    /**
     * The last frame's duration in ticks: its packet's when plausible (half to twice the mean
     * interval; some muxers write 0 or 1 tick), else the mean interval.
     */
    public long lastFrameDuration() {
        if (pts.length < 2) {
            return lastDuration;
        }
        double mean = (double) (pts[pts.length - 1] - pts[0]) / (pts.length - 1);
        if (lastDuration >= mean / 2 && lastDuration <= mean * 2) {
            return lastDuration;
        }
        return Math.round(mean);
    }

    /** True when frame intervals differ by more than one tick (plus 0.5 %). */
    public boolean variable() {
        if (pts.length < 3) {
            return false;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 1; i < pts.length; i++) {
            long d = pts[i] - pts[i - 1];
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return max - min > 1 + max / 200;
    }
}
