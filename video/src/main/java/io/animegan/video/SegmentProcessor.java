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

    private static final int STYLIZE = 0;
    private static final int UPSAMPLE = 1;
    private static final int FILTER = 2;
    private static final int OUTPUT = 3;

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
     * What one segment's phases cost, in nanoseconds of one clock: the whole, the generator, Fast HD
     * (the shrink and the upsampling), the temporal filter and handing frames to the sink; the rest
     * is decoding.
     */
    public record Phases(long total, long stylize, long upsample, long filter, long output) {

        public long decode() {
            return total - stylize - upsample - filter - output;
        }
    }

    /**
     * What one segment cost: its phases in wall time and in the process's CPU time
     * ({@link ProcessCpu}, meaningful when the process draws one segment at a time).
     */
    public record Timing(int frames, int warmUpFrames, Phases wall, Phases cpu) {

        public long totalNanos() {
            return wall.total();
        }

        public long stylizeNanos() {
            return wall.stylize();
        }

        public long upsampleNanos() {
            return wall.upsample();
        }

        public long filterNanos() {
            return wall.filter();
        }

        public long outputNanos() {
            return wall.output();
        }

        public long decodeNanos() {
            return wall.decode();
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
        PhaseClock clock = new PhaseClock();
        TemporalFilter.Settings flow = filter == null ? TemporalFilter.Settings.DEFAULT : filter;
        try (SegmentDecoder decoder = new SegmentDecoder(source, info, size, 1);
                TemporalFilter steady = filter == null ? null : new TemporalFilter(filter);
                SourceMotion own = steady == null ? new SourceMotion(flow.preset(), flow.flowLongSide()) : null;
                TrackedMats mats = new TrackedMats()) {
            // One motion per segment: the filter's when there is one, so its flows serve the stylizer too.
            SourceMotion motion = steady == null ? own : steady.motion();
            decoder.decode(plan, segment, (index, warmUp, bgr) -> {
                clock.mark();
                Mat small = guided == null ? null : guided.shrink(bgr);
                if (small != null) {
                    mats.own(small);
                }
                // The generator, the filter and the faces' tracking all work on the frame that is drawn.
                Mat frame = small == null ? bgr : small;
                clock.phase(UPSAMPLE);
                motion.next(frame);
                clock.phase(FILTER);
                Mat drawn = mats.own(guided == null ? stylizer.stylize(frame, motion) : guided.draw(frame, motion));
                clock.phase(STYLIZE);
                Mat steadied = steady == null ? drawn : steady.applyMoved(frame, drawn);
                clock.phase(FILTER);
                // Warm-up frames only set up the filter: they are not upsampled.
                Mat result = small == null || warmUp ? steadied : mats.own(guided.upsample(steadied, small, bgr));
                clock.phase(UPSAMPLE);
                if (!warmUp) {
                    out.accept(index, false, result);
                }
                clock.phase(OUTPUT);
                if (result != steadied) {
                    mats.release(result);
                }
                mats.release(drawn);
                if (small != null) {
                    mats.release(small);
                }
            });
        }
        return new Timing(segment.frameCount(), segment.warmUpFrames(), clock.wall(), clock.cpu());
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

    /**
     * Sums the wall and CPU time per phase: each {@link #phase} ends a phase begun at the last
     * reading.
     */
    private static final class PhaseClock {

        private final long startWall = System.nanoTime();
        private final long startCpu = ProcessCpu.nanos();
        private final long[] wall = new long[4];
        private final long[] cpu = new long[4];
        private long lastWall;
        private long lastCpu;

        /** Starts timing from now, without counting the time since the last reading. */
        void mark() {
            lastWall = System.nanoTime();
            lastCpu = ProcessCpu.nanos();
        }

        void phase(int phase) {
            long nowWall = System.nanoTime();
            long nowCpu = ProcessCpu.nanos();
            wall[phase] += nowWall - lastWall;
            cpu[phase] += nowCpu - lastCpu;
            lastWall = nowWall;
            lastCpu = nowCpu;
        }

        Phases wall() {
            return phases(System.nanoTime() - startWall, wall);
        }

        Phases cpu() {
            return phases(ProcessCpu.nanos() - startCpu, cpu);
        }

        private static Phases phases(long total, long[] sums) {
            return new Phases(total, sums[STYLIZE], sums[UPSAMPLE], sums[FILTER], sums[OUTPUT]);
        }
    }
}
