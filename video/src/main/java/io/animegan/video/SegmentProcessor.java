package io.animegan.video;

import java.nio.file.Path;
import org.opencv.core.Mat;

/**
 * Draws one segment: decode (warm-up frames first) → stylize → temporal filter → output. This is
 * what a stylize stage runs per segment record; segments are independent of each other, so any
 * number of them can run at once on different instances.
 *
 * <p>At most a fixed number of frames is alive at any time (the decoder's buffers, one stylized
 * frame and its small copies, the filter's state, the encoder's staging buffer), whatever the
 * segment's length.
 */
public final class SegmentProcessor {

    private final FrameStylizer stylizer;
    private final GuidedStylizer guided;
    private final TemporalFilter.Settings filter;

    /** @param filter temporal filter settings, or null to output the stylized frames as they are */
    public SegmentProcessor(FrameStylizer stylizer, TemporalFilter.Settings filter) {
        this.stylizer = stylizer;
        this.guided = stylizer instanceof GuidedStylizer g ? g : null;
        this.filter = filter;
    }

    /**
     * What one segment cost, in nanoseconds: the whole and its phases (generator, Fast HD upsampling,
     * temporal filter, handing frames to the sink); the rest is decoding.
     */
    public record Timing(
            int frames,
            int warmUpFrames,
            long totalNanos,
            long stylizeNanos,
            long upsampleNanos,
            long filterNanos,
            long outputNanos) {

        public long decodeNanos() {
            return totalNanos - stylizeNanos - upsampleNanos - filterNanos - outputNanos;
        }

        public double stylizeMillisPerFrame() {
            return perFrame(stylizeNanos);
        }

        public double filterMillisPerFrame() {
            return perFrame(filterNanos);
        }

        /** {@code nanos} in milliseconds per drawn frame (warm-up frames included). */
        public double perFrame(long nanos) {
            return nanos / 1e6 / Math.max(1, frames + warmUpFrames);
        }
    }

    /**
     * Draws {@code segment} of {@code source} and hands its own (not warm-up) output frames to {@code out}.
     * With a {@link GuidedStylizer} the filter steadies the small drawings, which are then upsampled.
     */
    public Timing process(
            Path source, VideoInfo info, SegmentPlan plan, Segment segment, FrameSize size, FrameSink out) {
        long[] nanos = new long[4];
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
                Mat small = guided == null ? null : guided.shrink(bgr);
                if (small != null) {
                    mats.own(small);
                }
                // The generator, the filter and the faces' tracking all work on the frame that is drawn.
                Mat frame = small == null ? bgr : small;
                long shrunk = System.nanoTime();
                motion.next(frame);
                long t1 = System.nanoTime();
                Mat drawn = mats.own(guided == null ? stylizer.stylize(frame, motion) : guided.draw(frame, motion));
                long t2 = System.nanoTime();
                Mat steadied = steady == null ? drawn : steady.applyMoved(frame, drawn);
                long t3 = System.nanoTime();
                // Warm-up frames only set up the filter: they are not upsampled.
                Mat result = small == null || warmUp ? steadied : mats.own(guided.upsample(steadied, small, bgr));
                long t4 = System.nanoTime();
                if (!warmUp) {
                    out.accept(index, false, result);
                }
                long t5 = System.nanoTime();
                nanos[0] += t2 - t1;
                nanos[1] += shrunk - t0 + t4 - t3;
                nanos[2] += t1 - shrunk + t3 - t2;
                nanos[3] += t5 - t4;
                if (result != steadied) {
                    mats.release(result);
                }
                mats.release(drawn);
                if (small != null) {
                    mats.release(small);
                }
            });
        }
        long total = System.nanoTime() - start;
        return new Timing(segment.frameCount(), segment.warmUpFrames(), total, nanos[0], nanos[1], nanos[2], nanos[3]);
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
