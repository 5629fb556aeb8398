package io.animegan.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.VideoOptions;
import io.animegan.stylize.Generators;
import io.animegan.stylize.video.FastHdStylizer;
import io.animegan.stylize.video.SegmentDrawer;
import io.animegan.video.Assembler;
import io.animegan.video.FrameSize;
import io.animegan.video.GuidedStylizer;
import io.animegan.video.ProcessCpu;
import io.animegan.video.Rational;
import io.animegan.video.Segment;
import io.animegan.video.SegmentEncoder;
import io.animegan.video.SegmentPlan;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.SegmentProcessor;
import io.animegan.video.TemporalFilter;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * {@code ./animegan bench --video}: a clip drawn in each style in this process, the way a stylize
 * stage draws segment records (the same {@link Generators}, {@link SegmentProcessor} per segment
 * with its warm-up frames, H.264 segment files, then {@link Assembler} with the original audio),
 * one segment after the other. Per style: seconds of processing per second of video, generator
 * against flow-filter time, the flicker figures ({@link FlickerMeter}, their cost left out of the
 * times) and the peak resident memory. Before the segments, the clip's preview is drawn as the
 * stage draws it (its first {@link SegmentPlanner#PREVIEW_SECONDS} at {@link
 * SegmentPlanner#PREVIEW_MAX_FPS} at most, {@link SegmentDrawer#previewStyleSide} and {@link
 * FrameSize#PREVIEW_LONG_SIDE}), timed on its own: how long after planning a preview is ready,
 * and its CPU time per frame by phase.
 */
final class VideoBench {

    /** What to measure. */
    record Config(
            Path clip,
            Path photo,
            double seconds,
            List<String> styles,
            Integer styleSide,
            TemporalFilter.Settings filter,
            boolean flicker,
            int warpErrorFlowSide,
            Path directory) {}

    /** ΔE on every this-many-th frame. */
    static final int DELTA_E_STRIDE = 10;

    private final StyleCatalogue catalogue;
    private final Config config;

    VideoBench(StyleCatalogue catalogue, Config config) {
        this.catalogue = catalogue;
        this.config = config;
    }

    /** Milliseconds per drawn frame (warm-up frames included) of each phase, in one clock. */
    record PerFrame(double decode, double generator, double upsample, double filter, double encode, double other) {

        /** Flow filter over generator time. */
        double filterShare() {
            return filter / generator;
        }
    }

    /** One style's figures: wall time, and the process's CPU time (all its threads). */
    record Row(
            String style,
            String modelFile,
            int frames,
            int drawnFrames,
            double videoSeconds,
            double seconds,
            double cpuSeconds,
            PerFrame wall,
            PerFrame cpu,
            Double frameByFrameWarpError,
            Double steadyWarpError,
            Double deltaE,
            long peakKiB,
            Preview preview) {

        double secondsPerVideoSecond() {
            return seconds / videoSeconds;
        }

        double cpuSecondsPerVideoSecond() {
            return cpuSeconds / videoSeconds;
        }

        Double ratio() {
            return steadyWarpError == null ? null : steadyWarpError / frameByFrameWarpError;
        }
    }

    /**
     * The preview's frames, the generator's long side for it, its output size, its drawing time in
     * seconds (wall and CPU) and its CPU time per drawn frame by phase.
     */
    record Preview(int frames, int styleSide, FrameSize size, double seconds, double cpuSeconds, PerFrame cpu) {}

    int run() throws IOException {
        Files.createDirectories(config.directory());
        Path clip = config.clip();
        if (clip == null) {
            clip = config.directory().resolve("pan-720p.mp4");
            System.out.printf(
                    "writing %.0f s of a 1280x720 30 fps pan over %s to %s%n", config.seconds(), config.photo(), clip);
            PanClip.write(config.photo(), config.seconds(), clip);
        }
        VideoInfo info = new VideoProbe().probe(clip);
        SegmentPlan plan = new SegmentPlanner().plan(info);
        FrameSize size = FrameSize.of(info, FrameSize.DEFAULT_LONG_SIDE);
        List<Style> styles = styles();
        System.out.printf(
                "%s%n-> %s output, %s, generator at %s, flow filter %s%n%n",
                info,
                size,
                plan,
                config.styleSide() == null ? "output size" : "long side " + config.styleSide() + " (Fast HD)",
                config.filter());
        printHeader();
        boolean peakPerStyle = true;
        List<Row> rows = new ArrayList<>();
        for (Style style : styles) {
            peakPerStyle &= resetPeak();
            Row row = draw(style, clip, info, plan, size);
            rows.add(row);
            print(row);
        }
        System.out.printf(
                "%nseconds: processing per second of video (decode, generator, filter, encode, assembly; "
                        + "warm sessions); ms per drawn frame (warm-up frames included); warp error in 8-bit levels², "
                        + "flow at %d px, frame by frame -> steadied; ΔE2000 steadied to frame by frame, every %dth frame; "
                        + "peak RSS of this process %s%n",
                config.warpErrorFlowSide(),
                DELTA_E_STRIDE,
                peakPerStyle
                        ? "while drawing that style (VmHWM reset before each)"
                        : "so far (VmHWM could not be reset)");
        Path json = config.directory().resolve("bench-video.json");
        writeJson(json, info, size, plan, rows, peakPerStyle);
        System.out.printf("figures in %s, drawn clips in %s%n", json, config.directory());
        return 0;
    }

    private List<Style> styles() {
        if (config.styles().isEmpty()) {
            return catalogue.available();
        }
        return config.styles().stream().map(catalogue::resolve).toList();
    }

    private Row draw(Style style, Path clip, VideoInfo info, SegmentPlan plan, FrameSize size) throws IOException {
        Path work = Files.createTempDirectory(config.directory(), "segments-");
        List<Path> files = new ArrayList<>();
        try (Generators generators = new Generators(catalogue, Set.of(style.id()), 1, 0);
                FlickerMeter meter =
                        config.flicker() ? new FlickerMeter(config.warpErrorFlowSide(), DELTA_E_STRIDE) : null;
                FastHdStylizer stylizer = new FastHdStylizer(generators, style.id(), config.styleSide());
                MatScope scope = new MatScope()) {
            Drawing drawing = new Drawing(stylizer);
            // Loads the session and lets ONNX Runtime allocate for this size: a stage draws with warm sessions.
            scope.own(drawing.stylize(scope.own(Mat.zeros(size.height(), size.width(), CvType.CV_8UC3))));
            Preview preview = preview(generators, style, clip, info, work);
            SegmentProcessor processor = new SegmentProcessor(drawing, config.filter());
            // Wall and CPU nanoseconds of the flicker meter, whose cost is left out.
            long[] meterNanos = {0, 0};
            List<SegmentProcessor.Timing> timings = new ArrayList<>();
            long start = System.nanoTime();
            long startCpu = ProcessCpu.nanos();
            for (Segment segment : plan.segments()) {
                Path file = work.resolve(String.format("segment-%05d.mp4", segment.index()));
                files.add(file);
                try (SegmentEncoder encoder = new SegmentEncoder(file, size, plan.frameRate(), segment.frameCount())) {
                    timings.add(processor.process(clip, info, plan, segment, size, (index, warmUp, bgr) -> {
                        encoder.write(bgr);
                        if (meter != null) {
                            timed(meterNanos, () -> drawing.measure(meter, bgr));
                        }
                    }));
                }
            }
            Path output = config.directory().resolve(style.id() + ".mp4");
            new Assembler().assemble(plan, files, clip, output);
            double seconds = (System.nanoTime() - start - meterNanos[0]) / 1e9;
            double cpuSeconds = (ProcessCpu.nanos() - startCpu - meterNanos[1]) / 1e9;
            return row(style, plan, seconds, cpuSeconds, timings, meterNanos, meter, preview);
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(work);
        }
    }

    /**
     * Draws the clip's preview as a stylize stage does, with a warm session at the preview's size,
     * and deletes it.
     */
    private Preview preview(Generators generators, Style style, Path clip, VideoInfo info, Path work)
            throws IOException {
        SegmentPlan plan = new SegmentPlanner(
                        SegmentPlanner.DEFAULT_SEGMENT_SECONDS,
                        SegmentPlanner.DEFAULT_WARM_UP_FRAMES,
                        Rational.of(SegmentPlanner.PREVIEW_MAX_FPS, 1))
                .plan(info);
        Segment segment = plan.preview(SegmentPlanner.PREVIEW_SECONDS);
        // The stage's output size is at most the bench's (the default long side), so its preview's is this.
        FrameSize size = FrameSize.of(info, FrameSize.PREVIEW_LONG_SIDE);
        int side = SegmentDrawer.previewStyleSide(
                VideoOptions.newBuilder().setStyleSide(config.styleSide()).build(), style.minSide(), size);
        Path file = work.resolve("preview.mp4");
        try (FastHdStylizer stylizer = new FastHdStylizer(generators, style.id(), side);
                MatScope scope = new MatScope()) {
            scope.own(stylizer.stylize(scope.own(Mat.zeros(size.height(), size.width(), CvType.CV_8UC3))));
            SegmentProcessor processor = new SegmentProcessor(stylizer, config.filter());
            long start = System.nanoTime();
            long startCpu = ProcessCpu.nanos();
            SegmentProcessor.Timing timing;
            try (SegmentEncoder encoder = new SegmentEncoder(file, size, plan.frameRate(), segment.frameCount())) {
                timing = processor.process(clip, info, plan, segment, size, (index, warmUp, bgr) -> encoder.write(bgr));
            }
            double cpuSeconds = (ProcessCpu.nanos() - startCpu) / 1e9;
            int drawn = timing.frames() + timing.warmUpFrames();
            return new Preview(
                    segment.frameCount(),
                    side,
                    size,
                    (System.nanoTime() - start) / 1e9,
                    cpuSeconds,
                    perFrame(List.of(timing.cpu()), cpuSeconds, 0, drawn));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs {@code action}, adding its wall and CPU nanoseconds to {@code nanos[0]} and {@code nanos[1]}. */
    private static void timed(long[] nanos, Runnable action) {
        long wall = System.nanoTime();
        long cpu = ProcessCpu.nanos();
        action.run();
        nanos[0] += System.nanoTime() - wall;
        nanos[1] += ProcessCpu.nanos() - cpu;
    }

    private Row row(
            Style style,
            SegmentPlan plan,
            double seconds,
            double cpuSeconds,
            List<SegmentProcessor.Timing> timings,
            long[] meterNanos,
            FlickerMeter meter,
            Preview preview) {
        int drawn =
                timings.stream().mapToInt(t -> t.frames() + t.warmUpFrames()).sum();
        return new Row(
                style.id(),
                catalogue.availability(style).modelFile(),
                plan.frameCount(),
                drawn,
                plan.frameCount() / plan.frameRate().value(),
                seconds,
                cpuSeconds,
                perFrame(timings.stream().map(SegmentProcessor.Timing::wall).toList(), seconds, meterNanos[0], drawn),
                perFrame(timings.stream().map(SegmentProcessor.Timing::cpu).toList(), cpuSeconds, meterNanos[1], drawn),
                meter == null ? null : meter.drawnWarpError(),
                meter == null ? null : meter.outputWarpError(),
                meter == null ? null : meter.meanDeltaE(),
                ResidentMemory.kib(ResidentMemory.PEAK),
                preview);
    }

    /**
     * Per drawn frame in one clock: the segments' phases, with the sink's time split into encoding
     * and the flicker meter (left out), and the rest of {@code seconds} (assembly, opening segments).
     */
    private static PerFrame perFrame(List<SegmentProcessor.Phases> phases, double seconds, long meterNanos, int drawn) {
        long decode = 0;
        long generator = 0;
        long upsample = 0;
        long filter = 0;
        long output = 0;
        for (SegmentProcessor.Phases p : phases) {
            decode += p.decode();
            generator += p.stylize();
            upsample += p.upsample();
            filter += p.filter();
            output += p.output();
        }
        double perFrame = 1e6 * drawn;
        // The sink encodes, then meters.
        double encode = (output - meterNanos) / perFrame;
        double sum = (decode + generator + upsample + filter) / perFrame + encode;
        return new PerFrame(
                decode / perFrame,
                generator / perFrame,
                upsample / perFrame,
                filter / perFrame,
                encode,
                seconds * 1e3 / drawn - sum);
    }

    private static void printHeader() {
        System.out.printf(
                "%-22s %5s %9s %7s %9s %7s %7s %8s %7s %7s %21s %6s %7s %9s%n",
                "style",
                "clock",
                "s/video-s",
                "decode",
                "generator",
                "Fast HD",
                "filter",
                "filter/g",
                "encode",
                "other",
                "warp error",
                "ratio",
                "ΔE2000",
                "peak RSS");
    }

    private static void print(Row row) {
        System.out.printf(
                "%s %21s %6s %7s %5d MiB%n",
                phases(row.style(), "wall", row.secondsPerVideoSecond(), row.wall()),
                row.steadyWarpError() == null
                        ? "-"
                        : String.format("%.1f -> %.1f", row.frameByFrameWarpError(), row.steadyWarpError()),
                row.ratio() == null ? "-" : String.format("%.3f", row.ratio()),
                row.deltaE() == null ? "-" : String.format("%.2f", row.deltaE()),
                row.peakKiB() / 1024);
        System.out.println(phases("", "cpu", row.cpuSecondsPerVideoSecond(), row.cpu()));
        Preview p = row.preview();
        System.out.printf(
                "%-22s preview ready after %.1f s (%.1f s CPU): first %d frames at %s, generator at long side %d%n",
                "", p.seconds(), p.cpuSeconds(), p.frames(), p.size(), p.styleSide());
        System.out.println(
                phases("", "cpu", p.cpuSeconds(), p.cpu()) + "  (preview: CPU seconds in all, ms per frame)");
    }

    private static String phases(String style, String clock, double secondsPerVideoSecond, PerFrame p) {
        return String.format(
                "%-22s %5s %8.2fs %5.1fms %7.0fms %5.1fms %5.1fms %7.1f%% %5.1fms %5.1fms",
                style,
                clock,
                secondsPerVideoSecond,
                p.decode(),
                p.generator(),
                p.upsample(),
                p.filter(),
                100 * p.filterShare(),
                p.encode(),
                p.other());
    }

    private void writeJson(
            Path file, VideoInfo info, FrameSize size, SegmentPlan plan, List<Row> rows, boolean perStyle)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clip", info.toString());
        out.put("output", size.toString());
        out.put("frameRate", plan.frameRate().value());
        out.put("segments", plan.segments().size());
        out.put("styleSide", config.styleSide());
        TemporalFilter.Settings f = config.filter();
        out.put("filter", Map.of("weight", f.weight(), "preset", f.preset(), "flowLongSide", f.flowLongSide()));
        out.put("warpErrorFlowLongSide", config.warpErrorFlowSide());
        out.put("deltaEEveryNthFrame", DELTA_E_STRIDE);
        out.put("peakPerStyle", perStyle);
        List<Map<String, Object>> styles = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("style", row.style());
            r.put("modelFile", row.modelFile());
            r.put("frames", row.frames());
            r.put("drawnFrames", row.drawnFrames());
            r.put("videoSeconds", row.videoSeconds());
            r.put("processingSeconds", row.seconds());
            r.put("secondsPerVideoSecond", row.secondsPerVideoSecond());
            r.put("cpuSeconds", row.cpuSeconds());
            r.put("cpuSecondsPerVideoSecond", row.cpuSecondsPerVideoSecond());
            r.put("msPerFrame", Map.of("wall", json(row.wall()), "cpu", json(row.cpu())));
            r.put("warpErrorFrameByFrame", row.frameByFrameWarpError());
            r.put("warpErrorSteady", row.steadyWarpError());
            r.put("warpErrorRatio", row.ratio());
            r.put("meanDeltaE2000", row.deltaE());
            r.put("peakResidentMiB", row.peakKiB() / 1024);
            r.put(
                    "preview",
                    Map.of(
                            "frames", row.preview().frames(),
                            "styleSide", row.preview().styleSide(),
                            "size", row.preview().size().toString(),
                            "seconds", row.preview().seconds(),
                            "cpuSeconds", row.preview().cpuSeconds(),
                            "msPerFrameCpu", json(row.preview().cpu())));
            styles.add(r);
        }
        out.put("styles", styles);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
    }

    private static Map<String, Object> json(PerFrame p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decode", p.decode());
        out.put("generator", p.generator());
        out.put("fastHd", p.upsample());
        out.put("filter", p.filter());
        out.put("filterShareOfGenerator", p.filterShare());
        out.put("encode", p.encode());
        out.put("other", p.other());
        return out;
    }

    /**
     * Resets this process's resident high-water mark (VmHWM), so the next reading is the peak of
     * what follows; false where the kernel does not allow it.
     */
    private static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The style's generator as the segment processor's stylizer, remembering the frame it was last
     * given, its small copy and their drawing: all stay valid until the processor's sink has taken
     * the output, so the frame-by-frame output can be made for the flicker figures.
     */
    private static final class Drawing implements GuidedStylizer {

        private final GuidedStylizer stylizer;
        private Mat source;
        private Mat small;
        private Mat drawn;

        Drawing(GuidedStylizer stylizer) {
            this.stylizer = stylizer;
        }

        @Override
        public Mat shrink(Mat bgr) {
            source = bgr;
            small = stylizer.shrink(bgr);
            return small;
        }

        @Override
        public Mat draw(Mat frame) {
            drawn = stylizer.draw(frame);
            return drawn;
        }

        @Override
        public Mat upsample(Mat drawing, Mat frame, Mat bgr) {
            return stylizer.upsample(drawing, frame, bgr);
        }

        /** Adds the last frame to {@code meter}: its frame-by-frame drawing against {@code output}. */
        void measure(FlickerMeter meter, Mat output) {
            if (small == null) {
                meter.add(source, drawn, output);
                return;
            }
            try (MatScope scope = new MatScope()) {
                meter.add(source, scope.own(stylizer.upsample(drawn, small, source)), output);
            }
        }
    }
}
