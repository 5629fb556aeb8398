package io.animegan.video.stage;

import io.animegan.common.config.Limits;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentRequested;
import io.animegan.events.Trace;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import io.animegan.video.ClipPlan;
import io.animegan.video.FrameSize;
import io.animegan.video.Segment;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.VideoInfo;
import io.animegan.video.VideoProbe;
import io.animegan.video.VideoSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The plan step: fetches a submitted clip, probes it and cuts it into segments. Its outcome is one
 * VideoPlanned, the clip's preview (a SegmentRequested of its first {@link
 * SegmentPlanner#PREVIEW_SECONDS} at {@link SegmentPlanner#PREVIEW_MAX_FPS} at most, drawn cheaply and
 * never assembled) and one SegmentRequested per
 * segment; a refused clip throws ({@link io.animegan.video.VideoException}, {@link StageException}).
 */
public final class ClipPlanning {

    public static final String NAME = "video-plan";
    /** Highest frame rate a client may ask for. */
    public static final int MAX_FPS = 120;

    private final BlobStore store;
    private final VideoSettings settings;
    private final Path work;

    /** @param work where clips are fetched to while they are planned (deleted after each) */
    public ClipPlanning(BlobStore store, VideoSettings settings, Path work) {
        this.store = store;
        this.settings = settings;
        this.work = work;
    }

    /** The planned clip, its preview record and its segment records, keyed as they go to Kafka. */
    public record Outcome(
            VideoPlanned planned, Keyed<SegmentRequested> preview, List<Keyed<SegmentRequested>> segments) {}

    public record Keyed<V>(String key, V value) {}

    public Outcome plan(VideoSubmitted submitted) {
        long start = System.nanoTime();
        String id = submitted.getVideoId();
        checkOptions(submitted.getOptions());
        requireOwn(store.bucket(), id, submitted.getSource());
        try (TempFiles files = TempFiles.in(work, "plan-")) {
            Path clip = files.path("original");
            store.get(submitted.getSource(), clip);
            ClipPlan plan = plan(settings, clip, submitted.getOptions());
            ClipPlan preview = previewPlan(settings, plan.info(), submitted.getOptions());
            Trace trace = Traces.withStage(submitted.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000);
            return outcome(id, submitted.getSource(), submitted.getOptions(), trace, plan, preview);
        }
    }

    /** The plan every stage makes of the clip with the same settings and options. */
    public static ClipPlan plan(VideoSettings settings, Path clip, VideoOptions options) {
        return settings.plan(clip, options.getMaxSide(), options.getFps());
    }

    static Outcome outcome(
            String id, BlobRef source, VideoOptions options, Trace trace, ClipPlan clip, ClipPlan previewClip) {
        List<Segment> segments = clip.plan().segments();
        VideoPlanned planned = VideoPlanned.newBuilder()
                .setVideoId(id)
                .setFrames(clip.plan().frameCount())
                .setSegments(segments.size())
                .setWidth(clip.size().width())
                .setHeight(clip.size().height())
                .setFrameRate(clip.plan().frameRate().num() + "/"
                        + clip.plan().frameRate().den())
                .setDurationSeconds(
                        clip.plan().frameCount() / clip.plan().frameRate().value())
                .setHasAudio(clip.info().hasAudio())
                .setTrace(trace)
                .build();
        List<Keyed<SegmentRequested>> requests = segments.stream()
                .map(s -> new Keyed<>(
                        VideoTopics.segmentKey(id, s.index()),
                        request(id, s, segments.size(), source, options, trace).build()))
                .toList();
        Segment preview = previewClip.plan().preview(SegmentPlanner.PREVIEW_SECONDS);
        SegmentRequested previewRequest = request(id, preview, segments.size(), source, options, trace)
                .setPreview(true)
                .build();
        return new Outcome(planned, new Keyed<>(id, previewRequest), requests);
    }

    private static SegmentRequested.Builder request(
            String id, Segment s, int segments, BlobRef source, VideoOptions options, Trace trace) {
        return SegmentRequested.newBuilder()
                .setVideoId(id)
                .setIndex(s.index())
                .setSegments(segments)
                .setFrameStart(s.start())
                .setFrameEnd(s.end())
                .setSource(source)
                .setOptions(options)
                .setTrace(trace);
    }

    /**
     * The plan the clip's preview is drawn to: the clip's, at {@link SegmentPlanner#PREVIEW_MAX_FPS}
     * at most and with its long side at {@link FrameSize#PREVIEW_LONG_SIDE} at most; its {@link
     * io.animegan.video.SegmentPlan#preview} is the preview.
     */
    public static ClipPlan previewPlan(VideoSettings settings, Path clip, VideoOptions options) {
        return previewPlan(settings, new VideoProbe(settings.limits()).probe(clip), options);
    }

    /** {@link #previewPlan(VideoSettings, Path, VideoOptions)} of a probed clip. */
    static ClipPlan previewPlan(VideoSettings settings, VideoInfo info, VideoOptions options) {
        Integer fps = options.getFps();
        return settings.plan(
                info,
                Math.min(options.getMaxSide(), FrameSize.PREVIEW_LONG_SIDE),
                fps == null ? SegmentPlanner.PREVIEW_MAX_FPS : Math.min(fps, SegmentPlanner.PREVIEW_MAX_FPS));
    }

    /** Options no clip can be drawn with. */
    public static void checkOptions(VideoOptions options) {
        int maxSide = options.getMaxSide();
        if (maxSide < Limits.MIN_OUTPUT_SIDE || maxSide > Limits.MAX_OUTPUT_SIDE) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS,
                    "maxSide must be between " + Limits.MIN_OUTPUT_SIDE + " and " + Limits.MAX_OUTPUT_SIDE + ", got "
                            + maxSide);
        }
        Integer fps = options.getFps();
        if (fps != null && (fps < 1 || fps > MAX_FPS)) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS, "fps must be between 1 and " + MAX_FPS + ", got " + fps);
        }
    }

    /**
     * A clip's stages read only its own upload, whatever an event names: anyone able to write to
     * an input topic could otherwise have a stage read, and pass on, another object.
     */
    public static void requireOwn(String bucket, String videoId, BlobRef source) {
        if (!bucket.equals(source.getBucket()) || !Keys.original(videoId).equals(source.getKey())) {
            throw new StageException(
                    ErrorCode.FORBIDDEN_KEY, "the event names an object that is not this clip's upload");
        }
    }
}
