package io.animegan.video;

import java.nio.file.Path;
import org.opencv.core.Mat;

/**
 * Draws one segment: decode (warm-up frames first) → stylize → temporal filter → output. This is
 * what a stylize stage runs per segment record; segments are independent of each other, so any
 * number of them can run at once on different instances.
 *
 * <p>At most a fixed number of frames is alive at any time (the decoder's buffers, one stylized
 * frame, the filter's state, the encoder's staging buffer), whatever the segment's length.
 */
public final class SegmentProcessor {

    private final FrameStylizer stylizer;
    private final TemporalFilter.Settings filter;

    /** @param filter temporal filter settings, or null to output the stylized frames as they are */
    public SegmentProcessor(FrameStylizer stylizer, TemporalFilter.Settings filter) {
        this.stylizer = stylizer;
        this.filter = filter;
    }

    /** What one segment cost. */
    public record Timing(int frames, int warmUpFrames, long decodeAndFilterNanos, long stylizeNanos, long filterNanos) {
        public double stylizeMillisPerFrame() {
            return stylizeNanos / 1e6 / Math.max(1, frames + warmUpFrames);
        }

        public double filterMillisPerFrame() {
            return filterNanos / 1e6 / Math.max(1, frames + warmUpFrames);
        }
    }

    /** Draws {@code segment} of {@code source} and hands its own (not warm-up) output frames to {@code out}. */
    public Timing process(
            Path source, VideoInfo info, SegmentPlan plan, Segment segment, FrameSize size, FrameSink out) {
        long[] stylizeNanos = {0};
        long[] filterNanos = {0};
        long start = System.nanoTime();
        TemporalFilter.Settings flow = filter == null ? TemporalFilter.Settings.DEFAULT : filter;
        try (SegmentDecoder decoder = new SegmentDecoder(source, info, size, 1);
                TemporalFilter steady = filter == null ? null : new TemporalFilter(filter);
                SourceMotion own = steady == null ? new SourceMotion(flow.preset(), flow.flowLongSide()) : null;
                TrackedMats mats = new TrackedMats()) {
            // One motion per segment: the filter's when there is one, so its flows serve the stylizer too.
            SourceMotion motion = steady == null ? own : steady.motion();
            decoder.decode(plan, segment, (index, warmUp, bgr) -> {
                long t0 = System.nanoTime();
                motion.next(bgr);
                long t1 = System.nanoTime();
                Mat stylized = mats.own(stylizer.stylize(bgr, motion));
                long t2 = System.nanoTime();
                Mat result = steady == null ? stylized : steady.applyMoved(bgr, stylized);
                long t3 = System.nanoTime();
                stylizeNanos[0] += t2 - t1;
                filterNanos[0] += t1 - t0 + t3 - t2;
                if (!warmUp) {
                    out.accept(index, false, result);
                }
                mats.release(stylized);
            });
        }
        long total = System.nanoTime() - start;
        return new Timing(segment.frameCount(), segment.warmUpFrames(), total, stylizeNanos[0], filterNanos[0]);
    }

    /** Draws {@code segment} into an H.264 MP4 segment file for {@link Assembler}. */
    public Timing encode(
            Path source, VideoInfo info, SegmentPlan plan, Segment segment, FrameSize size, Path segmentFile) {
        try (SegmentEncoder encoder = new SegmentEncoder(segmentFile, size, plan.frameRate(), segment.frameCount())) {
            Timing timing = process(source, info, plan, segment, size, (index, warmUp, bgr) -> encoder.write(bgr));
            if (encoder.written() != segment.frameCount()) {
                throw new IllegalStateException("segment " + segment.index() + " wrote " + encoder.written() + " of "
                        + segment.frameCount() + " frames");
            }
            return timing;
        }
    }
}
