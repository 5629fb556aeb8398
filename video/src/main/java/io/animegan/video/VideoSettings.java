package io.animegan.video;

import java.nio.file.Path;

/**
 * How the service cuts and sizes clips: the same on every stage, since each plans the clip again.
 *
 * @param limits what clips are accepted
 * @param maxLongSide the output's longest side at most; a client's {@code maxSide} only lowers it
 * @param segmentSeconds about how long a segment is (the unit of work spread over stylize instances)
 * @param warmUpFrames frames drawn before a segment's first and discarded, to set up the temporal filter
 */
public record VideoSettings(VideoLimits limits, int maxLongSide, double segmentSeconds, int warmUpFrames) {

    /** 60 s at 120 fps at most. */
    public static final int MAX_FRAMES = 60 * 120;

    /** At most 60 s of 4K (3840x2160), drawn with the long side at most 1280, in segments of about 4 s. */
    public static final VideoSettings DEFAULT = new VideoSettings(
            new VideoLimits(60_000_000L, 3840L * 2160, MAX_FRAMES),
            FrameSize.DEFAULT_LONG_SIDE,
            SegmentPlanner.DEFAULT_SEGMENT_SECONDS,
            SegmentPlanner.DEFAULT_WARM_UP_FRAMES);

    public VideoSettings {
        if (maxLongSide < 2 || segmentSeconds <= 0 || warmUpFrames < 0) {
            throw new IllegalArgumentException("bad video settings: long side " + maxLongSide + ", segment seconds "
                    + segmentSeconds + ", warm-up frames " + warmUpFrames);
        }
    }

    public VideoSettings withSegmentSeconds(double seconds) {
        return new VideoSettings(limits, maxLongSide, seconds, warmUpFrames);
    }

    public VideoSettings withLimits(VideoLimits newLimits) {
        return new VideoSettings(newLimits, maxLongSide, segmentSeconds, warmUpFrames);
    }

    /**
     * Probes and plans {@code clip}.
     *
     * @param maxSide the client's longest output side (capped at {@link #maxLongSide})
     * @param maxFrameRate the client's frame rate cap in frames per second, or null for the source's
     * @throws VideoException when the clip is refused
     */
    public ClipPlan plan(Path clip, int maxSide, Integer maxFrameRate) {
        return plan(new VideoProbe(limits).probe(clip), maxSide, maxFrameRate);
    }

    /** Plans a probed clip: {@link #plan(Path, int, Integer)} without probing it again. */
    public ClipPlan plan(VideoInfo info, int maxSide, Integer maxFrameRate) {
        SegmentPlan plan = new SegmentPlanner(
                        segmentSeconds, warmUpFrames, maxFrameRate == null ? null : Rational.of(maxFrameRate, 1))
                .plan(info);
        return new ClipPlan(info, plan, FrameSize.of(info, Math.min(maxSide, maxLongSide)));
    }
}
