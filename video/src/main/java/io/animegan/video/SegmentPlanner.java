package io.animegan.video;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a clip into segments of about {@code segmentSeconds} as ranges of output frame indices.
 *
 * <p>Output frames are on a constant-rate grid: the source's rate (its mean rate when variable),
 * or {@code maxFrameRate} when the source is faster. Output frame {@code j} at time {@code j / fps}
 * shows the last source frame whose timestamp is not later than that time (plus a quarter of an
 * output interval, against timestamp rounding): deterministic, exact for constant-rate sources
 * (output frame j is source frame j), frames held or dropped by timestamp under variable rates.
 */
public final class SegmentPlanner {

    public static final double DEFAULT_SEGMENT_SECONDS = 4.0;
    public static final int DEFAULT_WARM_UP_FRAMES = 8;
    /** How much of the start of a clip its preview shows ({@link SegmentPlan#preview}). */
    public static final double PREVIEW_SECONDS = 5.0;
    /**
     * A preview's frame rate at most: a third of a 30 fps clip's frames is what makes it ready
     * seconds after the upload, and enough to see the style move.
     */
    public static final int PREVIEW_MAX_FPS = 10;

    private final double segmentSeconds;
    private final int warmUpFrames;
    private final Rational maxFrameRate;

    /** @param maxFrameRate output rate cap, or null for none */
    public SegmentPlanner(double segmentSeconds, int warmUpFrames, Rational maxFrameRate) {
        if (segmentSeconds <= 0 || warmUpFrames < 0) {
            throw new IllegalArgumentException("segment seconds must be positive and warm-up frames not negative");
        }
        this.segmentSeconds = segmentSeconds;
        this.warmUpFrames = warmUpFrames;
        this.maxFrameRate = maxFrameRate;
    }

    public SegmentPlanner() {
        this(DEFAULT_SEGMENT_SECONDS, DEFAULT_WARM_UP_FRAMES, null);
    }

    public SegmentPlan plan(VideoInfo info) {
        FrameTimeline timeline = info.timeline();
        Rational fps = info.frameRate();
        if (maxFrameRate != null && fps.greaterThan(maxFrameRate)) {
            fps = maxFrameRate;
        }
        int[] sources = sourceFrames(timeline, fps, info.variableFrameRate() || !fps.equals(info.frameRate()));
        int count = sources.length;
        double perSegment = Math.max(1, segmentSeconds * fps.value());
        int segmentCount = (int) Math.max(1, Math.min(count, Math.round(count / perSegment)));
        List<Segment> segments = new ArrayList<>(segmentCount);
        for (int s = 0; s < segmentCount; s++) {
            // Even split: every segment within one frame of the others, the last one not a sliver.
            int start = (int) ((long) count * s / segmentCount);
            int end = (int) ((long) count * (s + 1) / segmentCount);
            segments.add(new Segment(s, start, end, Math.max(0, start - warmUpFrames)));
        }
        return new SegmentPlan(fps, timeline.pts(0), timeline.timeBase(), sources, segments);
    }

    private static int[] sourceFrames(FrameTimeline timeline, Rational fps, boolean resample) {
        int n = timeline.frameCount();
        if (!resample) {
            int[] identity = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i] = i;
            }
            return identity;
        }
        double interval = 1.0 / fps.value();
        int count = Math.max(1, (int) Math.round(timeline.durationSeconds() * fps.value()));
        int[] sources = new int[count];
        for (int j = 0; j < count; j++) {
            sources[j] = timeline.frameAt(j * interval + interval / 4);
        }
        return sources;
    }
}
