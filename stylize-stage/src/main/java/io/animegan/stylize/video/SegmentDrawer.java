package io.animegan.stylize.video;

import io.animegan.common.config.Limits;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.SegmentRequested;
import io.animegan.events.VideoOptions;
import io.animegan.stylize.Generators;
import io.animegan.video.ClipPlan;
import io.animegan.video.FrameSize;
import io.animegan.video.FrameStylizer;
import io.animegan.video.Segment;
import io.animegan.video.SegmentPlanner;
import io.animegan.video.SegmentProcessor;
import io.animegan.video.TemporalFilter;
import io.animegan.video.VideoSettings;
import io.animegan.video.stage.ClipAssembly;
import io.animegan.video.stage.ClipPlanning;
import io.animegan.video.stage.TempFiles;
import java.nio.file.Path;

/**
 * Draws one segment of a clip with this instance's generators: the clip is fetched (or found in
 * the {@link ClipCache}), probed and planned again, and the plan must agree with the record; then
 * the segment's frames (warm-up frames first) are stylized (with their faces on their own crops,
 * {@link FaceTrackStylizer}, when the client asked for faces), steadied by the {@link TemporalFilter}
 * when the client asked for it, and encoded to the segment's MP4 in storage.
 *
 * <p>A clip's preview (a request with {@code preview} set) is drawn the same way but cheaply: the
 * generator at {@link #previewStyleSide}, the output at {@link FrameSize#PREVIEW_LONG_SIDE} at
 * most, at {@link SegmentPlanner#PREVIEW_MAX_FPS} at most ({@link ClipPlanning#previewPlan}),
 * without face crops, to {@link Keys#videoPreview}. While a preview is drawn, this instance's segments wait for it ({@link
 * PreviewGate}), so it is ready seconds after the upload.
 */
public final class SegmentDrawer implements AutoCloseable {

    /** The stage named on a segment's failure: the same as for pictures. */
    public static final String NAME = "stylize";

    /**
     * The long side the generator draws a clip's frames at when the options name none (Fast HD guides
     * them up to the output size): a clip is thousands of frames, and drawing a 720p frame whole costs
     * several times this side's drawing. A client's {@code styleSide} at or above the output's long
     * side draws at full size.
     */
    public static final int DEFAULT_STYLE_SIDE = 512;

    /** The long side the generator draws a preview's frames at, or the client's {@code styleSide} when smaller. */
    public static final int PREVIEW_STYLE_SIDE = 256;

    private final BlobStore store;
    private final Generators generators;
    private final VideoSettings settings;
    private final ClipCache clips;
    private final Path work;
    private final FaceDetectorModel detectorModel;
    private final PreviewGate previews = new PreviewGate();

    /**
     * @param work where a segment's file is written before it is stored (deleted after)
     * @param modelsDir where the face detector's model is loaded from for clips with {@code faces=true}
     * @param onnxThreads intra-op threads of the detector's session (0: one per processor)
     */
    public SegmentDrawer(
            BlobStore store,
            Generators generators,
            VideoSettings settings,
            ClipCache clips,
            Path work,
            Path modelsDir,
            int onnxThreads) {
        this.store = store;
        this.generators = generators;
        this.settings = settings;
        this.clips = clips;
        this.work = work;
        this.detectorModel = new FaceDetectorModel(modelsDir, onnxThreads);
    }

    public SegmentDrawn draw(SegmentRequested request) {
        if (!request.getPreview()) {
            return drawSegment(request);
        }
        previews.enter();
        try {
            return drawSegment(request);
        } finally {
            previews.leave();
        }
    }

    private SegmentDrawn drawSegment(SegmentRequested request) {
        long start = System.nanoTime();
        String id = request.getVideoId();
        VideoOptions options = request.getOptions();
        ClipPlanning.checkOptions(options);
        checkStyleSide(options.getStyleSide());
        ClipPlanning.requireOwn(store.bucket(), id, request.getSource());
        Style drawnStyle = generators.style(options.getStyle());
        String style = drawnStyle.id();
        Path clip = clips.get(request.getSource());
        boolean preview = request.getPreview();
        ClipPlan plan = preview
                ? ClipPlanning.previewPlan(settings, clip, options)
                : ClipPlanning.plan(settings, clip, options);
        Segment segment = preview ? agreedPreview(plan, request) : agreedSegment(plan, request);
        FrameStylizer generator = preview
                ? frame -> generators.stylize(style, frame)
                : frame -> {
                    previews.awaitNoPreview();
                    return generators.stylize(style, frame);
                };
        try (FaceTrackStylizer faces = options.getFaces() && !preview ? withFaces(style, generator) : null;
                FastHdStylizer stylizer = new FastHdStylizer(
                        preview ? previewStyleSide(options, drawnStyle.minSide(), plan.size()) : styleSide(options),
                        faces == null ? generator : faces);
                TempFiles files = TempFiles.in(work, "segment-")) {
            SegmentProcessor processor =
                    new SegmentProcessor(stylizer, options.getTemporal() ? TemporalFilter.Settings.DEFAULT : null);
            Path file = files.path("segment.mp4");
            SegmentProcessor.Timing timing =
                    processor.encode(clip, plan.info(), plan.plan(), segment, plan.size(), file);
            String key = preview ? Keys.videoPreview(id) : Keys.videoSegment(id, segment.index());
            BlobRef ref = store.put(key, file, ClipAssembly.CONTENT_TYPE);
            return SegmentDrawn.newBuilder()
                    .setVideoId(id)
                    .setIndex(segment.index())
                    .setSegments(request.getSegments())
                    .setFrames(segment.frameCount())
                    .setSegment(ref)
                    .setSource(request.getSource())
                    .setOptions(options)
                    .setStylizeMs((timing.stylizeNanos() + timing.upsampleNanos()) / 1_000_000)
                    .setFilterMs(timing.filterNanos() / 1_000_000)
                    .setTrace(Traces.withStage(request.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
                    .setPreview(preview)
                    .build();
        }
    }

    /** Frames with their faces drawn on their own crops, as the picture path draws them (the whole crop, no Fast HD). */
    private FaceTrackStylizer withFaces(String style, FrameStylizer frames) {
        return FaceTrackStylizer.withDetector(
                detectorModel.get(), frames, crop -> generators.stylize(style, crop), FaceTracker.Settings.DEFAULT);
    }

    /** The record's segment, which must be the one this instance's plan of the clip has at its index. */
    static Segment agreedSegment(ClipPlan plan, SegmentRequested request) {
        int index = request.getIndex();
        int count = plan.plan().segments().size();
        if (count != request.getSegments() || index < 0 || index >= count) {
            throw new StageException(
                    ErrorCode.INTERNAL_ERROR,
                    "segment " + index + " of " + request.getSegments() + " does not match this instance's plan ("
                            + plan.plan() + "); are the stages' video settings the same?");
        }
        Segment segment = plan.plan().segment(index);
        if (segment.start() != request.getFrameStart() || segment.end() != request.getFrameEnd()) {
            throw new StageException(
                    ErrorCode.INTERNAL_ERROR,
                    "segment " + index + " is frames [" + request.getFrameStart() + ", " + request.getFrameEnd()
                            + ") in the request but [" + segment.start() + ", " + segment.end()
                            + ") in this instance's plan");
        }
        return segment;
    }

    /** The record's preview, which must be this instance's preview plan's. */
    static Segment agreedPreview(ClipPlan plan, SegmentRequested request) {
        Segment preview = plan.plan().preview(SegmentPlanner.PREVIEW_SECONDS);
        if (preview.start() != request.getFrameStart() || preview.end() != request.getFrameEnd()) {
            throw new StageException(
                    ErrorCode.INTERNAL_ERROR,
                    "the preview is frames [" + request.getFrameStart() + ", " + request.getFrameEnd()
                            + ") in the request but [" + preview.start() + ", " + preview.end()
                            + ") in this instance's plan");
        }
        return preview;
    }

    /**
     * The long side the generator draws a preview of {@code size} at: {@link #PREVIEW_STYLE_SIDE},
     * or the client's when smaller, raised until the shorter side reaches the style's {@code minSide}
     * (never past the frame): the generator scales a smaller drawing up to that side anyway, so a
     * smaller shrink would cost as much and show less of the source.
     */
    public static int previewStyleSide(VideoOptions options, int minSide, FrameSize size) {
        int longSide = Math.max(size.width(), size.height());
        int shortSide = Math.min(size.width(), size.height());
        int reachingMinSide = (int) Math.ceil((double) minSide * longSide / shortSide);
        return Math.min(longSide, Math.max(Math.min(PREVIEW_STYLE_SIDE, styleSide(options)), reachingMinSide));
    }

    /** The long side the generator draws at: the client's, or {@link #DEFAULT_STYLE_SIDE}. */
    static int styleSide(VideoOptions options) {
        return options.getStyleSide() == null ? DEFAULT_STYLE_SIDE : options.getStyleSide();
    }

    private static void checkStyleSide(Integer styleSide) {
        if (styleSide != null && (styleSide < Limits.MIN_OUTPUT_SIDE || styleSide > Limits.MAX_OUTPUT_SIDE)) {
            throw new StageException(
                    ErrorCode.INVALID_OPTIONS,
                    "styleSide must be between " + Limits.MIN_OUTPUT_SIDE + " and " + Limits.MAX_OUTPUT_SIDE + ", got "
                            + styleSide);
        }
    }

    /** Whether this instance takes the segment (see {@link Generators#serves}). */
    public boolean serves(SegmentRequested request) {
        return generators.serves(request.getOptions().getStyle());
    }

    /** Deletes the cached clips and closes the face detector; the generators belong to the picture stage that shares them. */
    @Override
    public void close() {
        clips.close();
        detectorModel.close();
    }
}
