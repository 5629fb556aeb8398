package io.animegan.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The whole video path in one process, as the Kafka stages will run it spread out: probe, plan,
 * draw every segment (on {@code parallelism} threads, each with its own stylizer), assemble with
 * the original audio. For tests, the command line and single-machine use.
 */
public final class ClipRenderer {

    private final VideoProbe probe;
    private final SegmentPlanner planner;
    private final int maxLongSide;
    private final TemporalFilter.Settings filter;
    private final int parallelism;

    public ClipRenderer(
            VideoProbe probe,
            SegmentPlanner planner,
            int maxLongSide,
            TemporalFilter.Settings filter,
            int parallelism) {
        this.probe = probe;
        this.planner = planner;
        this.maxLongSide = maxLongSide;
        this.filter = filter;
        this.parallelism = Math.max(1, parallelism);
    }

    /** What {@link #render} did. */
    public record Result(VideoInfo info, SegmentPlan plan, FrameSize size, List<SegmentProcessor.Timing> timings) {}

    /**
     * Renders {@code input} into {@code output}; segment files go to {@code work} (deleted after).
     *
     * @param stylizers makes one stylizer per thread (a generator reuses buffers and is not thread-safe)
     */
    public Result render(Path input, Path output, Path work, Supplier<FrameStylizer> stylizers) {
        VideoInfo info = probe.probe(input);
        SegmentPlan plan = planner.plan(info);
        FrameSize size = FrameSize.of(info, maxLongSide);
        List<Path> files = new ArrayList<>();
        for (Segment s : plan.segments()) {
            files.add(work.resolve(String.format("segment-%05d.mp4", s.index())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        ThreadLocal<SegmentProcessor> processors =
                ThreadLocal.withInitial(() -> new SegmentProcessor(stylizers.get(), filter));
        try {
            List<Future<SegmentProcessor.Timing>> futures = new ArrayList<>();
            for (Segment s : plan.segments()) {
                futures.add(
                        pool.submit(() -> processors.get().encode(input, info, plan, s, size, files.get(s.index()))));
            }
            List<SegmentProcessor.Timing> timings = new ArrayList<>();
            for (Future<SegmentProcessor.Timing> f : futures) {
                timings.add(f.get());
            }
            new Assembler().assemble(plan, files, input, output);
            return new Result(info, plan, size, timings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            for (Path f : files) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
